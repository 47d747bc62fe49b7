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
