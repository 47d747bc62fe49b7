"""Saved assessments scored for Jämför, read in bulk and kept while they do not change.

``read_snapshots`` scores saved assessments without loading each one
(``Store.scoring_inputs``: one grouped query per table for all of them; loaded one by one,
a 20-participant assessment of the national bank takes about 11 ms, 3 s for 300). One made
with an earlier version of the bank is read as the installed version, merged as it is read.
``SavedSnapshots`` keeps the scored snapshots by (database, id, last change, bank, version),
shared by every session of the process, so a rerun reads only what changed since.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Sequence

from assessment.bank import Bank
from assessment.storage import AssessmentSummary, Store
from scoring.compare import Snapshot, snapshot


def read_snapshots(store: Store, summaries: Sequence[AssessmentSummary],
                   bank: Bank) -> list[Snapshot]:
    """The snapshot of each of ``summaries`` that ``store`` still has, in their order."""
    inputs = store.scoring_inputs((s.id for s in summaries), upgrade_to=bank)
    found = {aid: snapshot(aid, read.header, bank, read.answers) for aid, read in inputs.items()}
    return [found[s.id] for s in summaries if s.id in found]


class SavedSnapshots:
    """Scored snapshots of saved assessments, at most ``limit`` (the oldest goes first)."""

    def __init__(self, limit: int = 5000):
        self.limit = limit
        self._items: OrderedDict[tuple, Snapshot] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._items)

    def of(self, store: Store, summaries: Sequence[AssessmentSummary],
           bank: Bank) -> dict[str, Snapshot]:
        """The snapshot of each of ``summaries`` by id: those kept, the rest read in bulk."""

        def key(s: AssessmentSummary) -> tuple:
            return store.location, s.id, s.updated_at.isoformat(), bank.id, bank.version

        with self._lock:
            found = {s.id: self._items.get(key(s)) for s in summaries}
        missing = {s.id: s for s in summaries if found[s.id] is None}
        for snap in read_snapshots(store, list(missing.values()), bank):
            found[snap.key] = snap
            with self._lock:
                self._items[key(missing[snap.key])] = snap
                while len(self._items) > self.limit:
                    self._items.popitem(last=False)
        return {aid: snap for aid, snap in found.items() if snap is not None}
