"""Text stored before control characters were refused still loads: nothing the team entered
becomes unreadable because a rule came later."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, update

from assessment.document import Assessment, Participant
from assessment.storage.schema import participants


def test_load__name_with_a_control_character_stored_earlier__read_with_a_space(store, db_url):
    aid = store.create_assessment(Assessment.model_validate({
        "bank": {"id": "nationell-handlingsplan-2025", "version": "2"},
        "organisation": {"name": "Exempelby kommun", "kind": "kommun"},
        "date": "2026-11-22", "participants": [{"id": "p1", "name": "Anna"}]}))
    # As an earlier version could write it: straight into the row.
    engine = create_engine(db_url)
    with engine.begin() as conn:
        conn.execute(update(participants).where(participants.c.assessment_id == aid)
                     .values(name="Anna\x1fB"))
    engine.dispose()

    loaded = store.load(aid)

    assert [p.name for p in loaded.participants] == ["Anna B"]
    # A new text with a control character is still refused.
    with pytest.raises(ValueError, match="U\\+001F"):
        Participant(id="p2", name="Bo\x1f")


def test_jamfor__assessment_stored_with_bank_version_1__scored_as_version_2(store):
    from assessment.snapshots import read_snapshots
    from assessment.bank_loader import load_banks

    bank = load_banks().banks["nationell-handlingsplan-2025"]
    aid = store.create_assessment(Assessment.model_validate({
        "bank": {"id": "nationell-handlingsplan-2025", "version": "1"},
        "organisation": {"name": "Exempelby kommun", "kind": "kommun"},
        "date": "2025-11-22", "participants": [{"id": "p1"}, {"id": "p2"}],
        # p1 answered the activity as G1.1 (2) and as F1.3 (4); p2 only as F1.3 (1).
        "answers": [{"participant": "p1", "question": "G1.1", "value": 2},
                    {"participant": "p1", "question": "F1.3", "value": 4},
                    {"participant": "p2", "question": "F1.3", "value": 1}]}))
    [summary] = [s for s in store.list_assessments() if s.id == aid]

    [snap] = read_snapshots(store, [summary], bank)

    # Upgraded: p1 keeps G1's 2, p2's 1 moves to G1.1 → median(1, 2) = 1.5, in G1 and in F1.
    assert snap.value("G1.1") == 1.5
    assert snap.area("F1").mean_level == 1.5 and snap.area("G1").mean_level == 1.5
