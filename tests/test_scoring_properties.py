"""Properties of the scoring that hold for any answers, checked on generated answers."""

from __future__ import annotations

import itertools
import statistics

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assessment.bank_loader import load_banks
from assessment.document import Assessment
from scoring.explain import explain
from scoring.priorities import AGREE, FIND_OUT
from scoring.questions import is_numeric
from scoring.score import AssessmentScore, score_assessment
from tests.helpers import assessment_dict, make_bank, question, score

TOP = 4
# G1.1 is one question shared with F1 (it replaced F1.3); G1.2 is linked to F4.
BANK = make_bank({"F1": 2, "F4": 1, "G1": [question("G1.1", also_in={"F1": "F1.3"}),
                                             question("G1.2", links=["F4"])]}, top=TOP, na=True)
QUESTIONS = [q.id for _, q in BANK.questions_for(None)]
AREAS = [a.id for a in BANK.areas]

FAST = settings(max_examples=100, deadline=None)

level = st.integers(0, TOP)
answer = st.one_of(level, st.sampled_from(["unknown", "na"]))
maybe_answer = st.one_of(st.none(), answer)  # None: this participant did not answer
participant = st.fixed_dictionaries({q: maybe_answer for q in QUESTIONS})
participants = st.lists(participant, min_size=1, max_size=6)
# A participant who answers every question.
thorough_participant = st.fixed_dictionaries({q: answer for q in QUESTIONS})
consensus = st.dictionaries(st.sampled_from(QUESTIONS), answer, max_size=len(QUESTIONS))
targets = st.dictionaries(st.sampled_from(AREAS), st.floats(0, TOP), max_size=len(AREAS))
importance = st.dictionaries(st.sampled_from(AREAS), st.integers(1, 3), max_size=len(AREAS))


def columns(rows: list[dict]) -> dict[str, list]:
    """Per-participant rows → per-question columns, the form ``make_assessment`` takes."""
    return {q: [row[q] for row in rows] for q in QUESTIONS}


def measures(result: AssessmentScore) -> dict:
    """Everything a user reads off a result, apart from which values were agreed on."""
    return {
        "overall": result.overall,
        "time_perspective": result.time_perspective,
        "areas": [(a.id, a.score, a.coverage, a.unknown_share, a.gap) for a in result.areas],
        "priorities": [(p.question, p.area, p.score, p.gap, p.value) for p in result.priorities],
        # without the questions listed only for an uncertain basis: agreeing a level settles it
        "knowledge_gaps": [k.question for k in result.knowledge_gaps if not k.uncertain],
    }


@FAST
@given(rows=participants, agreed=consensus)
def test_scores__participant_answering_only_na_added__scores_unchanged(rows, agreed):
    before = score(BANK, answers=columns(rows), consensus=agreed)

    after = score(BANK, answers=columns([*rows, {q: "na" for q in QUESTIONS}]), consensus=agreed)

    assert [a.score for a in after.areas] == [a.score for a in before.areas]
    assert after.overall == before.overall
    # The time perspective averages the areas with enough basis: an unanswered question that
    # becomes Ej aktuellt leaves coverage's denominator and may give an area enough basis
    # (the boundary test_coverage__only_na_participant_… shows); otherwise it stays.
    if [a.enough_basis for a in after.areas] == [a.enough_basis for a in before.areas]:
        assert after.time_perspective == before.time_perspective
    assert [(p.question, p.score) for p in after.priorities] == [
        (p.question, p.score) for p in before.priorities]


@FAST
@given(first=thorough_participant, rows=st.lists(participant, max_size=5), agreed=consensus)
def test_coverage__participant_answering_only_na_added__unchanged_when_every_question_answered(
        first, rows, agreed):
    before = score(BANK, answers=columns([first, *rows]), consensus=agreed)

    after = score(BANK, answers=columns([first, *rows, {q: "na" for q in QUESTIONS}]),
                  consensus=agreed)

    assert [(a.coverage, a.unknown_share) for a in after.areas] == [
        (a.coverage, a.unknown_share) for a in before.areas]


def test_coverage__only_na_participant_on_unanswered_question__question_becomes_na():
    # The boundary of the property above: a question nobody answered counts as applicable;
    # once its only answer is "na" it does not, so coverage rises from 1 / 2 to 1 / 1.
    bank = make_bank({"F1": 2}, top=TOP)

    before = score(bank, answers={"F1.1": [2]}).area("F1")
    after = score(bank, answers={"F1.1": [2, "na"], "F1.2": [None, "na"]}).area("F1")

    assert (before.score, before.coverage) == (50, 0.5)
    assert (after.score, after.coverage) == (50, 1.0)


@FAST
@given(rows=participants, agreed=consensus, goal=targets, weight=importance)
def test_scores__any_answers__within_their_ranges(rows, agreed, goal, weight):
    result = score(BANK, answers=columns(rows), consensus=agreed, targets=goal, importance=weight)

    for value in [result.overall, *result.time_perspective.values(), *(a.score for a in result.areas)]:
        assert value is None or 0 <= value <= 100
    for area in result.areas:
        for share in (area.coverage, area.unknown_share):
            assert share is None or 0 <= share <= 1
        assert area.coverage is None or area.coverage + area.unknown_share <= 1
        for q in area.questions:
            assert q.share_positive is None or 0 <= q.share_positive <= 1
            assert q.value in (None, "unknown", "na") or 0 <= q.value <= TOP
    for priority in result.priorities:
        assert priority.gap > 0 and priority.score >= 0  # a tiny gap may round to score 0.0


@FAST
@given(rows=participants, agreed=consensus, data=st.data())
def test_scores__participants_and_answers_in_another_order__same_result(rows, agreed, data):
    doc = assessment_dict(BANK, answers=columns(rows), consensus=agreed)
    shuffled = {
        **doc,
        "participants": data.draw(st.permutations(doc["participants"])),
        "answers": data.draw(st.permutations(doc["answers"])),
    }

    before = score_assessment(Assessment.model_validate(doc), BANK)
    after = score_assessment(Assessment.model_validate(shuffled), BANK)

    assert after == before


@FAST
@given(rows=participants, data=st.data())
def test_scores__consensus_equal_to_median__nothing_changes(rows, data):
    before = score(BANK, answers=columns(rows))
    whole_medians = sorted(q.id for a in before.areas for q in a.questions
                           if is_numeric(q.value) and q.value == int(q.value))
    agreed_on = data.draw(st.sets(st.sampled_from(whole_medians))) if whole_medians else set()

    after = score(BANK, answers=columns(rows),
                  consensus={q: int(before.question(q).value) for q in agreed_on})

    # Every score, priority and knowledge gap stays. An agreed question's explanation rests
    # on "samsyn" instead of the median, and drops "oenighet i gruppen" (and the next step
    # "agree on Samsyn") and "osäkert underlag", since the team has settled them – so it also
    # leaves the knowledge-gap list where it stood only for its uncertain basis; the others'
    # words stay as they were.
    assert measures(after) == measures(before)
    assert [k.question for k in after.knowledge_gaps] == [
        k.question for k in before.knowledge_gaps if not (k.uncertain and k.question in agreed_on)]
    for b, a in zip(before.priorities, after.priorities):
        if a.question in agreed_on:
            assert (a.consensus, a.disagreement, a.uncertain) == (True, False, False)
            assert a.next_step != AGREE
            words = explain(a, BANK, "sv")
            assert "enligt gruppens samsyn" in words and "oenig" not in words
            assert "osäkert" not in words
        else:
            assert explain(a, BANK, "sv") == explain(b, BANK, "sv")
    assert {q.id for a in after.areas for q in a.questions if q.consensus} == agreed_on


@FAST
@given(rows=participants, data=st.data())
def test_question_value__one_answer_raised__never_lower(rows, data):
    raisable = [(n, q) for n, row in enumerate(rows) for q in QUESTIONS
                if type(row[q]) is int and row[q] < TOP]
    if not raisable:
        return
    n, q = data.draw(st.sampled_from(raisable))
    raised_rows = [dict(row) for row in rows]
    raised_rows[n][q] = data.draw(st.integers(rows[n][q] + 1, TOP))

    before = score(BANK, answers=columns(rows))
    after = score(BANK, answers=columns(raised_rows))

    # A raised level changes no count of Vet ej or levels: a knowledge gap stays one (and
    # an area or overall without a score stays without); a level never goes down.
    old, new = before.question(q), after.question(q)
    assert old.knowledge_gap == new.knowledge_gap
    assert new.median >= old.median
    if is_numeric(old.value):
        assert new.value >= old.value
    else:
        assert new.value == old.value == "unknown"
    area = BANK.question_index()[q][0].id
    for old_score, new_score in ((before.area(area).score, after.area(area).score),
                                 (before.overall, after.overall)):
        assert (old_score is None) == (new_score is None)
        assert old_score is None or new_score >= old_score


@FAST
@given(rows=participants, agreed=consensus, goal=targets, weight=importance)
def test_knowledge_gaps__any_answers__exactly_the_unknown_values_each_once_never_ranked(
        rows, agreed, goal, weight):
    result = score(BANK, answers=columns(rows), consensus=agreed, targets=goal, importance=weight)

    by_id = {q.id: q for a in result.areas for q in a.questions}
    unknown = [qid for qid in QUESTIONS if by_id[qid].value == "unknown"]
    uncertain = [qid for qid in QUESTIONS if by_id[qid].uncertain]
    gaps = [k.question for k in result.knowledge_gaps if not k.uncertain]
    listed_uncertain = [k.question for k in result.knowledge_gaps if k.uncertain]
    ranked = [p.question for p in result.priorities]
    assert sorted(gaps) == sorted(unknown) and len(set(gaps)) == len(gaps)
    assert sorted(listed_uncertain) == sorted(uncertain)
    assert len(set(ranked)) == len(ranked) and not set(ranked) & set(gaps)
    # one count of each: the summary's counts are the list's
    assert (result.summary.knowledge_gaps, result.summary.uncertain) == (len(gaps),
                                                                         len(uncertain))
    for qid, q in by_id.items():
        # the rule: an agreed value decides; else a gap when the Vet ej outnumber the levels
        # (Ej aktuellt not counted), and an uncertain median when Vet ej × 3 ≥ the answers
        # that are not Ej aktuellt (and at least one Vet ej)
        rule = (agreed[qid] == "unknown" if qid in agreed else
                q.unknown_answers > q.levels)
        assert q.knowledge_gap == rule
        assert q.uncertain == (qid not in agreed and not rule and q.unknown_answers > 0
                               and 3 * q.unknown_answers >= q.counted_answers)
        if q.uncertain:  # it keeps its median, and so can be ranked
            assert q.value == q.median


@FAST
@given(rows=participants, agreed=consensus)
def test_overall__any_answers__mean_of_distinct_question_levels(rows, agreed):
    result = score(BANK, answers=columns(rows), consensus=agreed)

    values = [result.question(qid).value for qid in QUESTIONS]  # each question once
    levels = [v for v in values if is_numeric(v)]
    expected = 100 * sum(levels) / len(levels) / TOP if levels else None
    assert result.overall == (None if expected is None else pytest.approx(expected))
    assert result.summary.questions_scored == len(levels)
    assert result.summary.questions == sum(1 for v in values if v != "na")
    assert result.progress == (sum(1 for v in values if v is not None), len(QUESTIONS))


@FAST
@given(rows=participants, agreed=consensus)
def test_next_step__ask_the_vet_ej__only_where_their_answers_could_move_the_median(rows, agreed):
    result = score(BANK, answers=columns(rows), consensus=agreed)

    for p in result.priorities:
        q = result.question(p.question)
        levels = [v for v in q.values if type(v) is int]
        if not levels:  # an agreed level with no answers: nobody to ask
            assert p.next_step != FIND_OUT
            continue
        # every way the Vet ej could answer, each a level of the scale
        medians = {statistics.median(levels + list(extra))
                   for extra in itertools.product(range(TOP + 1), repeat=q.unknown_answers)}
        could = not q.consensus and q.unknown_answers > 0 and medians != {q.median}
        if not p.disagreement:
            assert (p.next_step == FIND_OUT) == could
        if p.next_step == FIND_OUT:
            assert "Nästa steg: fråga dem som svarade Vet ej" in explain(p, BANK, "sv")


EFFORTS = st.dictionaries(st.sampled_from(QUESTIONS), st.sampled_from(["låg", "medel", "hög"]),
                          max_size=len(QUESTIONS))
# What a reason must never show the reader: a separator sign, or an internal code (a locale
# key, a next step's id, an answer's stored value, a bare placeholder). ("agree" and "plan",
# the other two next-step ids, are plain words of the English sentence.)
CODES = ("·", "why.", "reason.", "find_out", "unknown", "{", "}", "None", "effort_",
         "importance_", "next_", "_set")


@FAST
@given(rows=participants, agreed=consensus, weight=importance, effort=EFFORTS)
def test_reasons__any_answers__sentences_without_separators_or_codes(rows, agreed, weight, effort):
    result = score(BANK, answers=columns(rows), consensus=agreed, importance=weight,
                   effort=effort)

    for p in result.priorities:
        for lang in ("sv", "en"):
            words = explain(p, BANK, lang)
            assert not [code for code in CODES if code in words], words
            # a sentence: a capital first, clauses joined by "; ", and one full stop before
            # the next step, which ends the text
            assert words[0].isupper() and words.endswith(".") and ".." not in words
            assert words.count(". ") == 1 and ("Nästa steg:" if lang == "sv" else "Next step:") \
                in words.split(". ")[1]


NATIONAL = load_banks().get("nationell-handlingsplan-2025")
NATIONAL_IDS = [q.id for _, q in NATIONAL.questions_for(None)]


@settings(max_examples=30, deadline=None)
@given(values=st.lists(st.one_of(level, st.just("unknown")), min_size=len(NATIONAL_IDS),
                       max_size=len(NATIONAL_IDS)),
       unit=st.sampled_from(["", "Hemtjänst"]))
def test_reasons__national_bank__theme_cap_and_set_apart_in_sentences(values, unit):
    answers = {qid: [v] for qid, v in zip(NATIONAL_IDS, values)}
    assessment = Assessment.model_validate(assessment_dict(NATIONAL, answers=answers))
    assessment = assessment.model_copy(update={"organisation": assessment.organisation.model_copy(
        update={"unit": unit})})
    result = score_assessment(assessment, NATIONAL)

    top = result.priorities[:5]
    themes = [p.theme for p in top]
    others = len(result.priorities) - sum(1 for p in result.priorities if p.moved_for_theme)
    if others >= 5:  # enough candidates to fill the top: no theme more than twice in it
        assert max(themes.count(t) for t in themes) <= 2
    assert bool(result.for_leadership) <= bool(unit)
    assert all(p.decided_by == "verksamhet" for p in result.priorities) or not unit
    for p in result.priorities + result.for_leadership:
        for lang in ("sv", "en"):
            words = explain(p, NATIONAL, lang)
            assert not [code for code in CODES if code in words], words
            assert words.count(". ") == 1 and words.endswith(".")
