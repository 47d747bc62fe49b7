"""Every scoring rule, on small inline data, with the expected numbers worked out by hand.

Answers are written per question as one value per participant: ``{"F1.1": [1, 2, 4]}``
means p1 answered 1, p2 answered 2 and p3 answered 4 (``None``: did not answer).
"""

from __future__ import annotations

import pytest

from assessment.bank_loader import load_banks
from scoring.explain import coverage_text, defaults_left, explain
from scoring.priorities import AGREE, FIND_OUT, PLAN
from scoring.questions import score_question
from scoring.rollup import rollup
from scoring.score import score_assessment, score_to_dict
from assessment.bank import Bank
from tests.helpers import bank_dict, make_assessment, make_bank, question, score

# A 0–4 scale with "Ej aktuellt" (the national plan's style) and a 0–2 scale without it
# (the kommunenkät's "Nej / Ja, till vissa delar / Ja, till stor del").
TOP_4 = 4
TOP_2 = 2


# --- question value ---------------------------------------------------------------------


@pytest.mark.parametrize("answers,expected", [
    pytest.param([1, 2, 4], 2, id="median of odd count"),                      # median(1, 2, 4) = 2
    pytest.param([1, 2], 1.5, id="median of even count"),                      # (1 + 2) / 2 = 1.5
    pytest.param([0, 1, 3, 4], 2, id="median of four"),                        # (1 + 3) / 2 = 2
    pytest.param([4, 1], 2.5, id="order does not matter"),                     # (1 + 4) / 2 = 2.5
    # 1 Vet ej of 5 answers that are not na: 1 × 3 = 3 < 5, no gap; median(1, 2, 3, 4) = 2.5
    pytest.param([3, "unknown", "na", 1, 2, 4], 2.5, id="only levels in median"),
    # 1 Vet ej beside 2 levels (na not counted): not outnumbered, median(1, 3) = 2
    pytest.param([3, "unknown", "na", 1], 2, id="1 vet ej beside 2 levels is a median"),
    pytest.param(["unknown", "unknown"], "unknown", id="only unknown"),
    pytest.param(["na", "unknown", "na"], "unknown", id="na and unknown"),
    pytest.param(["na", "na"], "na", id="all na"),
    pytest.param([], None, id="nobody answered"),
])
def test_question_value__without_consensus__median_else_unknown_else_na(answers, expected):
    result = score_question("F1.1", "F1", answers)

    assert result.value == expected
    assert result.consensus is False


@pytest.mark.parametrize("answers,consensus,expected", [
    pytest.param([0, 0, 1], 4, 4, id="level over levels"),
    pytest.param([2, 3], "unknown", "unknown", id="unknown over numbers"),
    pytest.param([2, 3], "na", "na", id="na over numbers"),
    pytest.param(["unknown"], 1, 1, id="level over unknown"),
    pytest.param([], 2, 2, id="level with no answers"),
])
def test_question_value__consensus_set__consensus_wins(answers, consensus, expected):
    result = score_question("F1.1", "F1", answers, consensus, has_consensus=True)

    assert result.value == expected
    assert result.consensus is True


def test_question_value__consensus_in_file__wins_over_median():
    bank = make_bank({"F1": 1}, top=TOP_4)

    result = score(bank, answers={"F1.1": [0, 0, 1]}, consensus={"F1.1": 4})

    # median(0, 0, 1) = 0, but the team agreed on 4: score 100 * 4 / 4 = 100.
    assert result.question("F1.1").value == 4
    assert result.question("F1.1").consensus is True
    assert result.area("F1").score == 100


@pytest.mark.parametrize("answers,spread,disagreement", [
    pytest.param([2, 3], 1, False, id="spread 1"),                              # 3 - 2 = 1
    pytest.param([1, 3], 2, True, id="spread 2"),                               # 3 - 1 = 2
    pytest.param([0, 4, "unknown", "na"], 4, True, id="only numbers count"),    # 4 - 0 = 4
    pytest.param([2, 2, 2], 0, False, id="all agree"),
    pytest.param(["unknown", "na"], None, False, id="no numbers"),
])
def test_question_spread__max_minus_min__disagreement_from_2(answers, spread, disagreement):
    result = score_question("F1.1", "F1", answers)

    assert result.spread == spread
    assert result.disagreement is disagreement


def test_question_spread__with_consensus__still_from_the_answers():
    result = score_question("F1.1", "F1", [0, 3], 2, has_consensus=True)

    assert (result.spread, result.disagreement) == (3, True)  # 3 - 0 = 3


@pytest.mark.parametrize("answers,share", [
    pytest.param([0, 1, 2, "unknown", "na"], 0.5, id="unknown counted na not"),  # 2 / (3 + 1)
    pytest.param([0, 0, "unknown"], 0.0, id="none positive"),                    # 0 / 3
    pytest.param([3, 4, "na"], 1.0, id="all positive"),                          # 2 / 2
    pytest.param(["unknown", "unknown", 1], 1 / 3, id="unknown lowers share"),   # 1 / 3
    pytest.param(["na"], None, id="only na"),
    pytest.param([], None, id="no answers"),
])
def test_question_share_positive__level_1_or_more_over_answers_but_na(answers, share):
    result = score_question("F1.1", "F1", answers)

    assert result.share_positive == (pytest.approx(share) if share is not None else None)


def test_question_counts__answers_unknown_and_na_counted():
    result = score_question("F1.1", "F1", [0, "unknown", "na", "na", 3])

    assert (result.answers, result.unknown_answers, result.na_answers) == (5, 1, 2)
    assert result.distribution == {"0": 1, "unknown": 1, "na": 2, "3": 1}


# --- area score, coverage, unknown share, gap ----------------------------------------------


def test_area_score__mean_of_question_values__scaled_to_top():
    bank = make_bank({"F1": 3}, top=TOP_4)

    area = score(bank, answers={
        "F1.1": [1, 2, 4],            # median(1, 2, 4) = 2
        "F1.2": [1, 1, None],         # consensus 3 wins
        "F1.3": ["unknown", "na"],    # "unknown"
    }, consensus={"F1.2": 3}).area("F1")

    # area mean (2 + 3) / 2 = 2.5; score 100 * 2.5 / 4 = 62.5
    assert area.mean_level == 2.5
    assert area.score == 62.5
    # numeric 2 of 3 applicable; unknown 1 of 3; gap 3 - 2.5 = 0.5
    assert area.coverage == pytest.approx(2 / 3)
    assert area.unknown_share == pytest.approx(1 / 3)
    assert area.gap == 0.5


def test_area_coverage__unanswered_counts_in_denominator__na_does_not():
    bank = make_bank({"F1": 4}, top=TOP_4)

    area = score(bank, answers={
        "F1.1": [2],            # 2
        "F1.2": ["na", "na"],   # "na": not applicable
        # F1.3: nobody answered -> None, still applicable
        "F1.4": ["unknown"],    # "unknown"
    }).area("F1")

    # applicable = 4 - 1 na = 3; coverage 1 / 3; unknown share 1 / 3; score 100 * 2 / 4 = 50
    assert area.coverage == pytest.approx(1 / 3)
    assert area.unknown_share == pytest.approx(1 / 3)
    assert area.score == 50
    assert area.answered == 3  # F1.1, F1.2 and F1.4 have a value


def test_area__only_unknown__no_score_and_unknown_share_1():
    bank = make_bank({"F1": 2}, top=TOP_4)

    area = score(bank, answers={"F1.1": ["unknown"], "F1.2": ["unknown", "na"]}).area("F1")

    # no numeric value: no score and no gap, not a zero; 2 unknown of 2 applicable
    assert (area.score, area.mean_level, area.gap) == (None, None, None)
    assert (area.coverage, area.unknown_share) == (0, 1)


def test_area__every_question_na__nothing_to_measure():
    bank = make_bank({"F1": 2}, top=TOP_4)

    area = score(bank, answers={"F1.1": ["na"], "F1.2": ["na", "na"]}).area("F1")

    # 0 applicable questions: coverage and unknown share are undefined, not 0
    assert (area.score, area.coverage, area.unknown_share, area.gap) == (None, None, None, None)


def test_area__nobody_answered__no_score_coverage_0():
    bank = make_bank({"F1": 2}, top=TOP_4)

    area = score(bank).area("F1")

    # 0 numeric of 2 applicable, 0 unknown of 2
    assert (area.score, area.coverage, area.unknown_share) == (None, 0, 0)


def test_area_gap__no_target_set__default_target_3():
    bank = make_bank({"F1": 2}, top=TOP_4)

    area = score(bank, answers={"F1.1": [1], "F1.2": [2]}).area("F1")

    # mean (1 + 2) / 2 = 1.5; gap 3 - 1.5 = 1.5
    assert (area.target, area.gap) == (3, 1.5)


@pytest.mark.parametrize("target,gap", [
    pytest.param(4, 2.5, id="above default"),    # 4 - 1.5 = 2.5
    pytest.param(2.5, 1.0, id="between levels"),  # 2.5 - 1.5 = 1
    pytest.param(1, -0.5, id="below the mean"),   # 1 - 1.5 = -0.5 (above target)
])
def test_area_gap__explicit_target__target_minus_mean(target, gap):
    bank = make_bank({"F1": 2}, top=TOP_4)

    area = score(bank, answers={"F1.1": [1], "F1.2": [2]}, targets={"F1": target}).area("F1")

    assert (area.target, area.gap) == (target, gap)


def test_area_importance__default_2__or_as_set():
    bank = make_bank({"F1": 1, "G1": 1}, top=TOP_4)

    result = score(bank, importance={"G1": 3})

    assert (result.area("F1").importance, result.area("G1").importance) == (2, 3)


def test_overall__mean_of_question_values__unknown_area_left_out_and_named():
    bank = make_bank({"F1": 2, "F2": 1, "G1": 1}, top=TOP_4)

    result = score(bank, answers={
        "F1.1": [2], "F1.2": [3],   # F1: 100 * (2 + 3) / 2 / 4 = 62.5
        "F2.1": ["unknown"],        # F2: no score (every answer Vet ej)
        "G1.1": [1],                # G1: 100 * 1 / 4 = 25
    })

    # overall = 100 * mean of the question values that are levels / top
    #         = 100 * (2 + 3 + 1) / 3 / 4 = 50 -- not the mean of the area scores
    #         (62.5 + 25) / 2 = 43.75, and not (2 + 3 + 0 + 1) / 4 with Vet ej as 0 (37.5)
    assert [a.score for a in result.areas] == [62.5, None, 25]
    assert result.overall == 50
    # it rests on 2 of 3 areas and 3 of 4 questions; F2 is named as all Vet ej
    summary = result.summary
    assert (summary.areas_scored, summary.areas, summary.unscored, summary.all_unknown) == (
        2, 3, ("F2",), ("F2",))
    assert (summary.questions_scored, summary.questions, summary.knowledge_gaps) == (3, 4, 1)


def test_overall__no_area_has_a_score__none():
    bank = make_bank({"F1": 1, "G1": 1}, top=TOP_4)

    result = score(bank, answers={"F1.1": ["unknown"], "G1.1": ["na"]})

    assert result.overall is None


# --- the 0–2 scale (kommunenkät) -------------------------------------------------------------


def test_area_score__scale_0_to_2__scaled_to_top_2_and_default_target_2():
    bank = make_bank({"F1": 4}, top=TOP_2, na=False)

    area = score(bank, answers={
        "F1.1": [1, 2],                  # (1 + 2) / 2 = 1.5
        "F1.2": [0, 1, "unknown"],       # 1 Vet ej beside 2 levels: median 0.5, uncertain
        "F1.3": ["unknown", "unknown"],  # 2 Vet ej beside 0 levels: "unknown"
        "F1.4": [2, 2, 1, "unknown"],    # 1 Vet ej of 4: 3 < 4 -> median(1, 2, 2) = 2
    }).area("F1")

    # mean (1.5 + 0.5 + 2) / 3 = 4 / 3; score 100 * (4 / 3) / 2 = 66.67
    assert area.score == pytest.approx(200 / 3)
    # default target min(3, top 2) = 2; gap 2 - 4 / 3 = 2 / 3
    assert (area.target, area.gap) == (2, pytest.approx(2 / 3))
    # 3 with a level and 1 unknown of 4 questions; 1 uncertain (F1.2: 1 × 3 ≥ 3)
    assert area.coverage == 0.75
    assert area.unknown_share == 0.25
    assert (area.knowledge_gaps, area.uncertain) == (1, 1)
    # answers: Vet ej 1 + 2 + 1 = 4 of 2 + 3 + 2 + 4 = 11
    assert (area.unknown_answers, area.counted_answers) == (4, 11)
    assert area.questions[1].median == 0.5


def test_priorities__scale_0_to_2__gaps_to_target_2():
    bank = make_bank({"F1": 3}, top=TOP_2, na=False)

    result = score(bank, answers={"F1.1": [1, 2], "F1.2": [0, 1], "F1.3": [2, 2]})

    # F1.1: gap 2 - 1.5 = 0.5, score 0.5 * 2 = 1; F1.2: gap 2 - 0.5 = 1.5, score 1.5 * 2 = 3;
    # F1.3 is at the target 2: no candidate.
    assert [(p.question, p.gap, p.score) for p in result.priorities] == [
        ("F1.2", 1.5, 3.0), ("F1.1", 0.5, 1.0)]
    assert explain(result.priorities[1], bank, "sv") == (
        "Nuläget är 1,5 av 2 enligt 2 svar och målet är 2; viktighet och insats är ännu inte"
        " bedömda. Nästa steg: lägg in aktiviteten i handlingsplanen med ansvarig och datum.")


# --- time perspective ---------------------------------------------------------------------


def test_time_perspective__past_now_future__means_of_area_scores():
    bank = make_bank({"F1": 1, "F2": 1, "F3": 1, "F4": 1, "F5": 1, "G1": 1}, top=TOP_4)

    result = score(bank, answers={
        "F1.1": [1],          # F1 (past): 25
        "F2.1": [2],          # F2 (now): 50
        "F3.1": [4],          # F3 (now): 100
        "F4.1": [3],          # F4 (future): 75
        "F5.1": ["unknown"],  # F5 (future): no score
        "G1.1": [0],          # G1: no time perspective
    })

    # past 25; now (50 + 100) / 2 = 75; future 75 (F5 left out, not (75 + 0) / 2)
    assert result.time_perspective == {"past": 25, "now": 75, "future": 75}
    # overall 100 * (1 + 2 + 4 + 3 + 0) / 5 questions / 4 = 50: G1 counts there, F5 does not
    assert result.overall == 50


def test_time_perspective__no_scored_area_looks_ahead__future_none():
    bank = make_bank({"F1": 1, "F4": 1}, top=TOP_4)

    result = score(bank, answers={"F1.1": [2], "F4.1": ["na"]})

    # past 100 * 2 / 4 = 50; no area looks at now; F4 has no score
    assert result.time_perspective == {"past": 50, "now": None, "future": None}


# --- audience -------------------------------------------------------------------------------

AUDIENCE_BANK = make_bank({
    "F1": [question("F1.1", audiences=["region"]), question("F1.2", audiences=["kommun", "region"])],
    "G1": [question("G1.1", audiences=["region"])],
}, top=TOP_4)
AUDIENCE_ANSWERS = {"F1.1": [0], "F1.2": [4], "G1.1": [0]}


def test_audience__kommun_assessment__region_only_questions_not_scored():
    result = score(AUDIENCE_BANK, answers=AUDIENCE_ANSWERS, kind="kommun")

    # F1 has only F1.2 for kommun: 100 * 4 / 4 = 100; G1 has no kommun question at all
    assert [q.id for q in result.area("F1").questions] == ["F1.2"]
    assert result.area("F1").score == 100
    assert [a.id for a in result.areas] == ["F1"]
    assert result.overall == 100
    assert result.progress == (1, 1)
    # F1.1's 0 would top the list if it were in scope
    assert result.priorities == []


@pytest.mark.parametrize("kind,audience", [("region", None), ("kommun", "region")],
                         ids=["region organisation", "audience set to region"])
def test_audience__region__every_region_question_scored(kind, audience):
    result = score(AUDIENCE_BANK, answers=AUDIENCE_ANSWERS, kind=kind, audience=audience)

    # F1: (0 + 4) / 2 = 2 -> 50; G1: 0 -> 0
    # overall over the three questions: 100 * (0 + 4 + 0) / 3 / 4 = 33.33 (not (50 + 0) / 2)
    assert [(a.id, a.score) for a in result.areas] == [("F1", 50), ("G1", 0)]
    assert result.overall == pytest.approx(100 / 3)
    assert result.progress == (3, 3)


def test_audience__set_to_vardgivare__organisation_kind_ignored():
    result = score(AUDIENCE_BANK, answers=AUDIENCE_ANSWERS, kind="region", audience="vardgivare")

    # no question is for vårdgivare
    assert (result.areas, result.overall, result.progress) == ([], None, (0, 0))


# --- priorities -------------------------------------------------------------------------------


def test_priorities__only_questions_below_target__are_candidates():
    bank = make_bank({"F1": 6}, top=TOP_4)

    result = score(bank, answers={
        "F1.1": [3],           # at the target 3
        "F1.2": [4],           # above
        "F1.3": [2],           # below: gap 1
        "F1.4": ["unknown"],   # knowledge gap
        "F1.5": ["na"],        # not applicable
        # F1.6: nobody answered
    })

    assert [p.question for p in result.priorities] == ["F1.3"]


def test_priority__linked_area_and_disagreement__formula_and_explanation():
    bank = make_bank({"F1": 1, "G1": [question("G1.1", links=["F1"])]}, top=TOP_4)

    result = score(bank, answers={"F1.1": [4], "G1.1": [0, 3]}, importance={"G1": 3})

    # median(0, 3) = 1.5; gap 3 - 1.5 = 1.5; spread 3 -> disagreement
    # score 1.5 gap * 3 importance * 1.25 breadth (linked to F1) * 1.0 no effort = 5.625
    [priority] = result.priorities
    assert (priority.question, priority.area, priority.gap, priority.score) == (
        "G1.1", "G1", 1.5, 5.625)
    assert priority.areas == ["G1", "F1"]
    assert (priority.disagreement, priority.next_step) == (True, AGREE)
    assert (priority.importance_set, priority.effort_set) == (True, False)
    assert explain(priority, bank, "sv") == (
        "Nuläget är 1,5 av 4 enligt 2 svar och målet är 3; gruppen var oenig; viktigheten är"
        " hög och insatsen är ännu inte bedömd; aktiviteten bedöms i G1 Område G1 och gäller"
        " också F1 Område F1. Nästa steg: kom överens om nuläget på Samsyn.")
    assert explain(priority, bank, "en") == (
        "The current level is 1.5 of 4 according to 2 answers and the target is 3; the group"
        " disagreed; importance is high and effort is not yet assessed; the activity is judged"
        " in G1 Area G1 and also serves F1 Area F1. Next step: agree the current level on"
        " Samsyn.")


@pytest.mark.parametrize("effort,factor_score,words", [
    # gap 3 - 2 = 1; importance 1; two other areas, breadth 1.25 once (not per link)
    pytest.param("låg", 1.5625, "liten", id="låg"),        # 1 * 1 * 1.25 * 1.25
    pytest.param("medel", 1.25, "medelstor", id="medel"),  # 1 * 1 * 1.25 * 1.0
    pytest.param("hög", 0.9375, "stor", id="hög"),         # 1 * 1 * 1.25 * 0.75
])
def test_priority__effort__factor_and_words(effort, factor_score, words):
    bank = make_bank({"F1": [question("F1.1", links=["G1", "F2"])], "F2": 1, "G1": 1}, top=TOP_4)

    result = score(bank, answers={"F1.1": [2]}, importance={"F1": 1}, effort={"F1.1": effort})

    [priority] = result.priorities
    assert priority.score == factor_score
    assert (priority.effort, priority.effort_set) == (effort, True)
    assert explain(priority, bank, "sv") == (
        f"Nuläget är 2 av 4 enligt 1 svar och målet är 3; viktigheten är låg och insatsen {words};"
        " aktiviteten bedöms i F1 Område F1 och gäller också G1 Område G1 och F2 Område F2."
        " Nästa steg: lägg in aktiviteten i handlingsplanen med ansvarig och datum.")


def test_priority__no_effort_set__factor_1_and_not_named():
    bank = make_bank({"F2": 1}, top=TOP_4)

    result = score(bank, answers={"F2.1": [0]})

    # gap 3 - 0 = 3; 3 * 2 default importance * 1 (no other area) * 1.0 = 6
    [priority] = result.priorities
    assert (priority.score, priority.effort) == (6, None)
    assert (priority.importance_set, priority.effort_set) == (False, False)
    assert explain(priority, bank, "sv") == (
        "Nuläget är 0 av 4 enligt 1 svar och målet är 3; viktighet och insats är ännu inte"
        " bedömda. Nästa steg: lägg in aktiviteten i handlingsplanen med ansvarig och datum.")
    assert explain(priority, bank, "en") == (
        "The current level is 0 of 4 according to 1 answer and the target is 3; importance and"
        " effort are not yet assessed. Next step: put the activity in the action plan with an"
        " owner and a date.")


def test_priority__explicit_target__gap_to_that_target():
    bank = make_bank({"F1": 2}, top=TOP_4)

    result = score(bank, answers={"F1.1": [1], "F1.2": [0]}, targets={"F1": 1})

    # F1.1 is at the target 1; F1.2: gap 1 - 0 = 1, score 1 * 2 = 2
    assert [(p.question, p.gap, p.score) for p in result.priorities] == [("F1.2", 1, 2.0)]


def test_priorities__order__highest_score_first():
    bank = make_bank({"F1": 2, "G1": 1}, top=TOP_4)

    result = score(bank, answers={"F1.1": [2], "F1.2": [0], "G1.1": [1]})

    # F1.1: 1 * 2 = 2; F1.2: 3 * 2 = 6; G1.1: 2 * 2 = 4
    assert [(p.question, p.score) for p in result.priorities] == [
        ("F1.2", 6), ("G1.1", 4), ("F1.1", 2)]


def test_priorities__same_score_and_gap__bank_order():
    bank = make_bank({"G1": 1, "F1": 2}, top=TOP_4)  # G1 comes first in this bank

    result = score(bank, answers={"F1.1": [1], "F1.2": [1], "G1.1": [1]})

    # each: gap 3 - 1 = 2, score 2 * 2 = 4
    assert [p.question for p in result.priorities] == ["G1.1", "F1.1", "F1.2"]


def test_priorities__same_score_different_gap__larger_gap_first():
    bank = make_bank({"F1": 1, "G1": 1}, top=TOP_4)

    result = score(bank, answers={"F1.1": [2], "G1.1": [1]}, importance={"F1": 2, "G1": 1})

    # F1.1: gap 1 * importance 2 = 2; G1.1: gap 2 * importance 1 = 2 -> a tie on score,
    # broken by the larger gap (G1.1) before the bank order (F1 first)
    assert [(p.question, p.score) for p in result.priorities] == [("G1.1", 2), ("F1.1", 2)]


def test_priorities__disagreement__named_but_score_unchanged():
    bank = make_bank({"F1": 2}, top=TOP_4)

    result = score(bank, answers={"F1.1": [0, 4], "F1.2": [2, 2]})

    # both median 2, gap 1, score 1 * 2 = 2; F1.1 has spread 4
    assert [(p.question, p.score, p.disagreement) for p in result.priorities] == [
        ("F1.1", 2, True), ("F1.2", 2, False)]
    first, second = (explain(p, bank, "sv") for p in result.priorities)
    assert first == ("Nuläget är 2 av 4 enligt 2 svar och målet är 3; gruppen var oenig;"
                     " viktighet och insats är ännu inte bedömda. Nästa steg: kom överens om"
                     " nuläget på Samsyn.")
    assert "oenig" not in second and "Samsyn" not in second
    assert [p.next_step for p in result.priorities] == [AGREE, PLAN]


def test_knowledge_gaps__unknown_questions__listed_never_ranked():
    bank = make_bank({"F1": 3}, top=TOP_4)

    result = score(bank, answers={
        "F1.1": ["unknown", "unknown", "na"],  # "unknown"
        "F1.2": [0, 1, None],                  # consensus "unknown" wins over the levels
        "F1.3": [2, None, None],               # 2: a candidate
    }, consensus={"F1.2": "unknown"}, importance={"F1": 3})

    # F1.1: 2 Vet ej of 2 answers that are not na, 0 levels; F1.2: agreed "unknown" over
    # 2 levels, 0 Vet ej of 2
    assert [(k.question, k.area, k.unknown_answers, k.answers, k.levels)
            for k in result.knowledge_gaps] == [("F1.1", "F1", 2, 2, 0), ("F1.2", "F1", 0, 2, 2)]
    assert [p.question for p in result.priorities] == ["F1.3"]


def test_disagreements__spread_2_or_more__largest_spread_first():
    bank = make_bank({"F1": 4}, top=TOP_4)

    result = score(bank, answers={"F1.1": [1, 3], "F1.2": [2, 3], "F1.3": [0, 4], "F1.4": [1, 4]})

    # spreads 2, 1, 4, 3: F1.2 agrees enough
    assert [(q.id, q.spread) for q in result.disagreements] == [("F1.3", 4), ("F1.4", 3), ("F1.1", 2)]


# --- rollup --------------------------------------------------------------------------------


def test_rollup__two_assessments__mean_min_max_and_share_positive_across_files():
    bank = make_bank({"F1": 2, "G1": 1}, top=TOP_4)
    first = make_assessment(bank, answers={
        "F1.1": [0, 2, 1, "unknown"],  # 1 Vet ej of 4: no gap; median(0, 1, 2) = 1
        "F1.2": [3],                   # 3 -> F1: 100 * (1 + 3) / 2 / 4 = 50
        "G1.1": [1],                   # G1: 100 * 1 / 4 = 25
    })
    second = make_assessment(bank, answers={
        "F1.1": [1, "na"],             # 1
        "F1.2": [4],                   # 4 -> F1: 100 * (1 + 4) / 2 / 4 = 62.5
        "G1.1": ["unknown"],           # G1: no score
    })

    result = rollup([score_assessment(a, bank) for a in (first, second)])

    # F1: mean (50 + 62.5) / 2 = 56.25, min 50, max 62.5; G1 only from the first file
    assert [(a.id, a.mean, a.min, a.max, a.assessments) for a in result.areas] == [
        ("F1", 56.25, 50, 62.5, 2), ("G1", 25, 25, 25, 1)]
    # F1.1: levels >= 1 are 2, 1 and 1; counted 0, 2, 1, unknown, 1 (na left out) -> 3 / 5
    # F1.2: 3 and 4 -> 2 / 2; G1.1: 1 and unknown -> 1 / 2
    assert [(q.id, q.positive, q.answers, q.share_positive) for q in result.questions] == [
        ("F1.1", 3, 5, 0.6), ("F1.2", 2, 2, 1.0), ("G1.1", 1, 2, 0.5)]


def test_rollup__question_outside_one_files_audience__counted_only_where_asked__any_order():
    from assessment.bank_loader import load_banks  # noqa: PLC0415
    from assessment.document import Assessment  # noqa: PLC0415

    bank = load_banks().get("nationell-handlingsplan-2025")
    assert [a.value for a in bank.question("G1.5").audiences] == ["region", "kommun"]

    def file(kind: str, value: int) -> Assessment:
        return Assessment.model_validate({
            "bank": {"id": bank.id, "version": bank.version},
            "organisation": {"name": kind, "kind": kind}, "date": "2026-01-01",
            "participants": [{"id": "p1"}],
            "answers": [{"participant": "p1", "question": "G1.5", "value": value}],
        })

    region, provider = file("region", 2), file("vardgivare", 0)
    for order in ([region, provider], [provider, region]):
        shares = {q.id: (q.positive, q.answers)
                  for q in rollup([score_assessment(a, bank) for a in order]).questions}
        # G1.5 is asked of the region only: 1 positive answer of 1, whatever the order;
        # the care provider's answer to a question not in its scope is not counted.
        assert shares["G1.5"] == (1, 1)


def test_priorities__disagreement_settled_by_consensus__not_named():
    bank = make_bank({"F1": 1}, top=TOP_4)

    result = score(bank, answers={"F1.1": [0, 4]}, consensus={"F1.1": 1})

    # consensus 1 wins; gap 3 - 1 = 2, score 2 * 2 = 4; the spread of 4 was discussed and settled
    assert [(p.question, p.score, p.disagreement) for p in result.priorities] == [("F1.1", 4, False)]
    assert (result.priorities[0].next_step, result.priorities[0].consensus) == (PLAN, True)
    assert explain(result.priorities[0], bank, "sv") == (
        "Nuläget är 1 av 4 enligt gruppens samsyn och målet är 3; viktighet och insats är ännu"
        " inte bedömda. Nästa steg: lägg in aktiviteten i handlingsplanen med ansvarig och"
        " datum.")
    assert result.question("F1.1").disagreement  # still shown as a disagreement in the results


# --- knowledge gaps: a third or more Vet ej (docs/scoring.md "A question's value") ----------


def test_question_value__four_of_five_vet_ej__unknown_with_its_one_level_kept():
    result = score_question("F1.1", "F1", ["unknown", "unknown", 0, "unknown", "unknown"])

    # 4 Vet ej of 5 answers: 4 × 3 = 12 ≥ 5 -> a knowledge gap, not the value 0
    assert (result.value, result.knowledge_gap) == ("unknown", True)
    # the one level is kept beside the gap: median(0) = 0, resting on 1 level
    assert (result.median, result.levels) == (0, 1)
    assert (result.answers, result.unknown_answers, result.counted_answers) == (5, 4, 5)


def test_knowledge_gap__four_of_five_vet_ej__listed_not_ranked_and_area_shares_count_it():
    bank = make_bank({"F1": 1, "G1": 1}, top=TOP_4)

    result = score(bank, answers={
        "F1.1": ["unknown", "unknown", 0, "unknown", "unknown"],  # a gap (would rank: 3 × 2 = 6)
        "G1.1": [1, 1, 1, 1, 1],                                  # 1: gap 2 × 2 = 4
    })

    assert result.question("F1.1").value == "unknown"
    # never ranked: only G1.1 is a priority
    assert [(p.question, p.score) for p in result.priorities] == [("G1.1", 4)]
    assert [(k.question, k.area, k.unknown_answers, k.answers, k.levels)
            for k in result.knowledge_gaps] == [("F1.1", "F1", 4, 5, 1)]
    f1 = result.area("F1")
    # by questions: 0 of 1 has a level (coverage 0, not 100 %), 1 of 1 unknown (not 0 %)
    assert (f1.score, f1.coverage, f1.unknown_share) == (None, 0, 1)
    # by answers: 4 Vet ej of 5 answers
    assert (f1.unknown_answers, f1.counted_answers, f1.unknown_answer_share) == (4, 5, 0.8)
    assert (f1.knowledge_gaps, f1.all_unknown) == (1, True)
    # overall 100 * 1 / 4 = 25 from G1.1 alone; F1 named; 4 Vet ej of 10 answers overall
    summary = result.summary
    assert (result.overall, summary.areas_scored, summary.areas, summary.all_unknown) == (
        25, 1, 2, ("F1",))
    assert (summary.unknown_answers, summary.counted_answers, summary.unknown_answer_share) == (
        4, 10, 0.4)


@pytest.mark.parametrize("answers,value,median,uncertain", [
    # A gap only when the Vet ej outnumber the levels given (Ej aktuellt not counted); a
    # median flagged uncertain when Vet ej × 3 ≥ the answers that are not Ej aktuellt.
    pytest.param(["unknown", "unknown", 0, "unknown", "unknown"], "unknown", 0, False,
                 id="4 of 5 gap"),                                            # 4 > 1
    pytest.param(["unknown", "unknown", "unknown", 1, 2], "unknown", 1.5, False,
                 id="3 of 5 gap"),                                            # 3 > 2
    pytest.param(["unknown", "unknown", 1, 2, 3], 2, 2, True, id="2 of 5 uncertain"),  # 2 ≤ 3, 6 ≥ 5
    pytest.param(["unknown", "unknown", 1, 3], 2, 2, True, id="2 of 4 tie uncertain"),  # 2 ≤ 2
    pytest.param(["unknown", 2, 3], 2.5, 2.5, True, id="1 of 3 uncertain"),   # 1 ≤ 2, 3 ≥ 3
    pytest.param(["unknown", 1, 2, 3], 2, 2, False, id="1 of 4 plain"),       # 3 < 4
    pytest.param(["unknown", 1, 2, 3, 4], 2.5, 2.5, False, id="1 of 5 plain"),  # 3 < 5
    pytest.param(["unknown"], "unknown", None, False, id="1 of 1 gap"),       # 1 > 0
    pytest.param(["unknown", 2], 2, 2, True, id="1 beside 1 uncertain"),      # 1 ≤ 1
    # Ej aktuellt leaves the count: 1 Vet ej beside 2 levels (not of 5) -> 3 ≥ 3
    pytest.param(["unknown", "na", "na", 2, 3], 2.5, 2.5, True, id="1 of 3 with 2 na"),
    pytest.param(["unknown", "unknown", "na", "na", "na", 2], "unknown", 2, False,
                 id="2 beside 1 with 3 na gap"),                              # 2 > 1
    pytest.param([1, 2, 3], 2, 2, False, id="no vet ej"),
])
def test_question_value__vet_ej_outnumbering_levels__gap_else_median_flagged_from_a_third(
        answers, value, median, uncertain):
    result = score_question("F1.1", "F1", answers)

    assert (result.value, result.median) == (value, median)
    assert result.knowledge_gap is (value == "unknown")
    assert result.uncertain is uncertain


def test_knowledge_gap__consensus_level_set__cleared_and_ranked():
    bank = make_bank({"F1": 1}, top=TOP_4)

    result = score(bank, answers={"F1.1": ["unknown", "unknown", 0, "unknown", "unknown"]},
                   consensus={"F1.1": 2})

    # the agreed 2 is the value: no gap; gap 3 - 2 = 1, score 1 * 2 = 2
    q = result.question("F1.1")
    assert (q.value, q.knowledge_gap, q.consensus, q.unknown_answers) == (2, False, True, 4)
    assert result.knowledge_gaps == []
    assert [(p.question, p.value, p.score, p.consensus) for p in result.priorities] == [
        ("F1.1", 2, 2, True)]
    area = result.area("F1")
    # 100 * 2 / 4 = 50; coverage 1 / 1; the 4 Vet ej of 5 answers still show
    assert (area.score, area.coverage, area.unknown_share, area.unknown_answer_share) == (
        50, 1, 0, 0.8)
    assert explain(result.priorities[0], bank, "sv").startswith(
        "Nuläget är 2 av 4 enligt gruppens samsyn och målet är 3; ")


# --- Ej aktuellt per area ------------------------------------------------------------------


def test_area__ej_aktuellt__counted_as_answers_and_questions_of_its_own():
    bank = make_bank({"F1": 3}, top=TOP_4)

    area = score(bank, answers={
        "F1.1": [2, "na", "na"],                  # 2
        "F1.2": ["na", "na"],                     # "na"
        "F1.3": [1, 2, 3, "unknown", "na"],       # 1 Vet ej of 4: 3 < 4 -> median(1, 2, 3) = 2
    }).area("F1")

    # Ej aktuellt: answers 2 + 2 + 1 = 5; questions 1 (F1.2)
    assert (area.na_answers, area.na_questions) == (5, 1)
    # left out of every score: 100 * (2 + 2) / 2 / 4 = 50; coverage 2 of 3 - 1 na = 2 / 2
    assert (area.score, area.coverage, area.unknown_share) == (50, 1, 0)
    # the single Vet ej counts by answers: 1 of 1 + 0 + 4 = 5 not Ej aktuellt
    assert (area.unknown_answers, area.counted_answers, area.unknown_answer_share) == (1, 5, 0.2)


# --- the overall and what it covers ----------------------------------------------------------

NINE_AREAS = {area: 1 for area in ("G1", "G2", "G3", "G4", "F1", "F2", "F3", "F4", "F5")}


def test_overall__one_of_nine_areas_all_vet_ej__covers_8_of_9_and_names_it():
    bank = make_bank(NINE_AREAS, top=TOP_4)

    result = score(bank, answers={
        "G1.1": [2], "G2.1": [2], "G3.1": [2], "G4.1": ["unknown", "unknown"],
        "F1.1": [1], "F2.1": [3], "F3.1": [2], "F4.1": [2], "F5.1": [2],
    })

    # overall 100 * (2 + 2 + 2 + 1 + 3 + 2 + 2 + 2) / 8 / 4 = 100 * 2 / 4 = 50
    summary = result.summary
    assert result.overall == 50
    assert (summary.areas_scored, summary.areas, summary.unscored, summary.all_unknown) == (
        8, 9, ("G4",), ("G4",))
    assert (summary.questions_scored, summary.questions) == (8, 9)
    # 9 questions in scope: 8 with a level, G4.1 a gap (2 Vet ej beside 0 levels)
    assert coverage_text(summary, "sv") == (
        "Totalen bygger på 8 av 9 frågor (varje fråga räknas en gång)."
        " Utanför totalen: 1 kunskapslucka. Utan poäng eftersom alla svar är Vet ej: G4.")
    assert score_to_dict(result, bank)["overall_covers"] == {
        "areas": 8, "of_areas": 9, "questions": 8, "of_questions": 9, "in_scope": 9,
        "answered": 9, "na_questions": 0, "knowledge_gaps": 1, "uncertain": 0,
        "disagreements": 0, "areas_all_unknown": ["G4"], "areas_thin": []}


def test_overall__area_nobody_answered__unscored_but_not_named_all_unknown():
    bank = make_bank({"F1": 1, "G1": 1}, top=TOP_4)

    result = score(bank, answers={"G1.1": [3]})

    # G1: 100 * 3 / 4 = 75; F1 has no answer at all: no score, not a knowledge gap
    summary = result.summary
    assert (result.overall, summary.unscored, summary.all_unknown) == (75, ("F1",), ())
    assert (summary.questions_scored, summary.questions) == (1, 2)
    assert coverage_text(summary, "en") == (
        "The overall rests on 1 of 2 questions (each question counted once)."
        " Left out of it: 1 unanswered.")


# --- one activity, one question (a shared question) --------------------------------------------

# G1.1 is one question that belongs to G1 and F1 (where it replaced F1.3, its place there).
SHARED_BANK = make_bank({"G1": [question("G1.1", also_in={"F1": "F1.3"}), "G1.2"],
                         "F1": ["F1.1", "F1.2"]}, top=TOP_4)


def test_shared_question__answered_once__counts_in_both_areas_and_once_overall():
    result = score(SHARED_BANK, answers={"G1.1": [1], "G1.2": [3], "F1.1": [3], "F1.2": [4]})

    assert [q.id for q in result.area("F1").questions] == ["F1.1", "F1.2", "G1.1"]
    # G1: 100 * (1 + 3) / 2 / 4 = 50; F1: 100 * (3 + 4 + 1) / 3 / 4 = 66.67
    assert result.area("G1").score == 50
    assert result.area("F1").score == pytest.approx(200 / 3)
    # overall over 4 questions, G1.1 once: 100 * (1 + 3 + 3 + 4) / 4 / 4 = 68.75
    # (counted twice it would be 100 * 12 / 5 / 4 = 60)
    assert result.overall == 68.75
    assert (result.summary.questions_scored, result.summary.questions) == (4, 4)
    assert result.progress == (4, 4)
    # G1.1 (gap 2 in both areas) and G1.2 (gap 0, at target 3) -> G1.1 ranked once
    assert [p.question for p in result.priorities] == ["G1.1"]


def test_shared_question__knowledge_gap__listed_once_and_answers_counted_once():
    result = score(SHARED_BANK, answers={"G1.1": ["unknown", "unknown"], "F1.1": [2]})

    # unknown in both areas, one entry in the list (in G1, the first area in bank order)
    assert result.area("G1").questions[0].value == result.area("F1").questions[2].value == "unknown"
    assert [(k.question, k.area, k.unknown_answers, k.answers) for k in result.knowledge_gaps] == [
        ("G1.1", "G1", 2, 2)]
    # overall: 2 Vet ej of 2 + 1 answers, G1.1's not twice; 1 gap; progress G1.1 and F1.1 of 4
    summary = result.summary
    assert (summary.knowledge_gaps, summary.unknown_answers, summary.counted_answers) == (1, 2, 3)
    assert result.progress == (2, 4)
    # G1 has G1.1 unknown and G1.2 unanswered -> all unknown; F1 has F1.1's 2
    assert summary.all_unknown == ("G1",)


@pytest.mark.parametrize("targets,importance,area,gap,value_score", [
    # G1.1 = 1. weight (target − 1) × importance per area; the larger decides, breadth 1.25
    pytest.param({}, {"F1": 3}, "F1", 2, 7.5, id="F1 more important"),   # F1 6 > G1 4: 2*3*1.25
    pytest.param({}, {"G1": 3}, "G1", 2, 7.5, id="G1 more important"),   # G1 6 > F1 4: 2*3*1.25
    # F1's gap 4 − 1 = 3 is larger, but 3 × 1 = 3 < G1's 2 × 2 = 4: judged in G1, 2*2*1.25 = 5
    pytest.param({"F1": 4}, {"F1": 1}, "G1", 2, 5.0, id="gap times importance decides"),
    # F1: 3 × 2 = 6 > G1: 2 × 2 = 4 -> F1, 3 * 2 * 1.25 = 7.5
    pytest.param({"F1": 4}, {}, "F1", 3, 7.5, id="F1 larger gap"),
    # at G1's target 1 (no candidate there), below F1's 3: judged in F1, 2 * 2 * 1.25 = 5
    pytest.param({"G1": 1}, {}, "F1", 2, 5.0, id="at target in one area"),
])
def test_shared_question__priority__judged_where_gap_times_importance_largest(
        targets, importance, area, gap, value_score):
    result = score(SHARED_BANK, answers={"G1.1": [1]}, targets=targets, importance=importance)

    [priority] = [p for p in result.priorities if p.question == "G1.1"]
    other = {"G1": "F1", "F1": "G1"}[area]
    assert (priority.area, priority.areas, priority.gap, priority.score) == (
        area, [area, other], gap, value_score)
    assert [p.question for p in result.priorities].count("G1.1") == 1


# --- priorities: breadth, next step, defaults, words ---------------------------------------------


@pytest.mark.parametrize("spec,breadth", [
    pytest.param({}, 1.0, id="one area"),
    pytest.param({"links": ["F1"]}, 1.25, id="one link"),
    pytest.param({"links": ["F1", "F2"]}, 1.25, id="two links once"),
    pytest.param({"also_in": {"F1": "F1.2"}}, 1.25, id="shared"),
    pytest.param({"also_in": {"F1": "F1.2"}, "links": ["F2"]}, 1.25, id="shared and linked once"),
    # Shared by the bank's editorial judgement (no source in the seed): no breadth.
    pytest.param({"also_in": {"F1": "F1.2"}, "editorial": True}, 1.0, id="editorial pairing"),
    pytest.param({"also_in": {"F1": "F1.2"}, "editorial": True, "links": ["F2"]}, 1.25,
                 id="editorial pairing and a sourced link"),
])
def test_priority__breadth__1_25_once_whatever_the_number_of_other_areas(spec, breadth):
    bank = make_bank({"G1": [question("G1.1", **spec)], "F1": 1, "F2": 1}, top=TOP_4)

    result = score(bank, answers={"G1.1": [1]})

    # gap 3 - 1 = 2, importance 2 -> 4 × breadth: 4 or 5 (never 4 × 1.25 × 1.25 = 6.25)
    [priority] = result.priorities
    assert priority.score == 4 * breadth
    assert len(priority.areas) == 1 + len(spec.get("links", ())) + len(spec.get("also_in", {}))


def test_priority__breadth__national_bank__only_the_seeds_tagged_pairings():
    """G1.6 is shared with F2 (F2.4 is the same activity in other words) but untagged in seed
    001: (3 − 0) × 2 × 1 = 6. G1.1 is tagged "(fokusområde 1)": (3 − 0) × 2 × 1,25 = 7,5.
    G1.2 is tagged and linked, not shared: 7,5 as well. G1.12 serves G1 alone: 6."""
    bank = load_banks().get("nationell-handlingsplan-2025")
    result = score(bank, answers={q: [0] for q in ("G1.1", "G1.2", "G1.6", "G1.12")})

    by_id = {p.question: p for p in result.priorities}
    assert {q: by_id[q].score for q in by_id} == {"G1.1": 7.5, "G1.2": 7.5, "G1.6": 6.0,
                                                  "G1.12": 6.0}
    assert by_id["G1.6"].areas == ["G1", "F2"]  # still shared: it counts in both areas


@pytest.mark.parametrize("answers,consensus,step", [
    # [0, 3, 1, 2, ?]: 1 Vet ej of 5 (no gap), spread 3 -> agree first, even with a Vet ej
    pytest.param([0, 3, 1, 2, "unknown"], {}, AGREE, id="levels apart"),
    # [1, 2, 1, ?]: 1 Vet ej of 4 (no gap), levels 1 apart -> the Vet ej could move the
    # median (an answer of 2 gives median(1, 1, 2, 2) = 1.5): ask them
    pytest.param([1, 2, 1, "unknown"], {}, FIND_OUT, id="some vet ej"),
    # [1, 1, 1, ?]: every level the same and the Vet ej a minority: median 1 whatever they
    # answer (median(1, 1, 1, 4) = 1) -> plan it
    pytest.param([1, 1, 1, "unknown"], {}, PLAN, id="vet ej minority beside equal levels"),
    # [1, 1, ?, ?]: 2 Vet ej beside 2 equal levels (uncertain, no gap): two answers of 4
    # give median(1, 1, 4, 4) = 2.5 -> ask them
    pytest.param([1, 1, "unknown", "unknown"], {}, FIND_OUT, id="vet ej as many as levels"),
    # [0, 0, 0, 0, 1, ?]: levels differ, but one more answer leaves the median 0 (0 or 4 added:
    # median(0, 0, 0, 0, 1, 4) = 0) -> plan it
    pytest.param([0, 0, 0, 0, 1, "unknown"], {}, PLAN, id="vet ej cannot move the median"),
    pytest.param([1, 2], {}, PLAN, id="agreeing levels"),                   # spread 1
    pytest.param([0, 4], {"F1.1": 1}, PLAN, id="disagreement settled"),     # samsyn 1
    # 2 of 3 answered Vet ej (a gap) but the team agreed level 1 on Samsyn: plan it
    pytest.param([1, "unknown", "unknown"], {"F1.1": 1}, PLAN, id="gap settled by samsyn"),
])
def test_priority__next_step__agree_find_out_or_plan(answers, consensus, step):
    bank = make_bank({"F1": 1}, top=TOP_4)

    [priority] = score(bank, answers={"F1.1": answers}, consensus=consensus).priorities

    assert priority.next_step == step
    words = {AGREE: "Nästa steg: kom överens om nuläget på Samsyn.",
             FIND_OUT: "Nästa steg: fråga dem som svarade Vet ej och lägg sedan in aktiviteten"
                       " i handlingsplanen.",
             PLAN: "Nästa steg: lägg in aktiviteten i handlingsplanen med ansvarig och datum."}
    assert explain(priority, bank, "sv").endswith(". " + words[step])


def test_priority__importance_and_effort_set_to_default_values__set_not_default():
    bank = make_bank({"F1": 2}, top=TOP_4)

    result = score(bank, answers={"F1.1": [1], "F1.2": [2]}, importance={"F1": 2},
                   effort={"F1.1": "medel"})

    # F1.1: 2 × 2 × 1.0 = 4; F1.2: 1 × 2 = 2 -- the same scores as the defaults give
    first, second = result.priorities
    assert [(p.question, p.score) for p in result.priorities] == [("F1.1", 4), ("F1.2", 2)]
    assert (first.importance_set, first.effort_set) == (True, True)
    assert (second.importance_set, second.effort_set) == (True, False)
    # the words say "set" even when the value equals the default
    assert explain(first, bank, "sv").startswith(
        "Nuläget är 1 av 4 enligt 1 svar och målet är 3; viktigheten är medel och insatsen"
        " medelstor. Nästa steg")
    # F1.2's effort is not set yet: one activity still rests on a default
    assert defaults_left(result.priorities) == 1


def test_priority__explanation__every_reason_in_swedish_and_english():
    bank = make_bank({"G1": [question("G1.1", also_in={"F1": "F1.1"})], "F1": ["F1.2"]},
                     top=TOP_4)

    result = score(bank, answers={"G1.1": [0, 2, 1, "unknown"]}, importance={"G1": 3},
                   effort={"G1.1": "låg"})

    # 1 Vet ej of 4: no gap; median(0, 1, 2) = 1 on 3 levels; spread 2 -> disagreement.
    # G1: (3 - 1) × 3 = 6 > F1: (3 - 1) × 2 = 4 -> judged in G1; score 2 × 3 × 1.25 × 1.25
    [priority] = result.priorities
    assert (priority.area, priority.score, priority.levels) == ("G1", 9.375, 3)
    assert explain(priority, bank, "sv") == (
        "Nuläget är 1 av 4 enligt 3 svar och målet är 3; gruppen var oenig; 1 av 4 svarade"
        " Vet ej; viktigheten är hög och insatsen liten; aktiviteten bedöms i G1 Område G1 och"
        " gäller också F1 Område F1. Nästa steg: kom överens om nuläget på Samsyn.")
    assert explain(priority, bank, "en") == (
        "The current level is 1 of 4 according to 3 answers and the target is 3; the group"
        " disagreed; 1 of 4 answered Don't know; importance is high and effort low; the"
        " activity is judged in G1 Area G1 and also serves F1 Area F1. Next step: agree the"
        " current level on Samsyn.")


def test_priority__characteristic_with_an_action__named_by_its_action_title():
    q = question("G2.1")
    q["action"] = {"sv": "Inför en rutin för G2.1", "en": "Introduce a routine for G2.1"}
    bank = make_bank({"G2": [q, "G2.2"]}, top=TOP_4)

    result = score(bank, answers={"G2.1": [1], "G2.2": ["unknown"]})

    # gap 2 × 2 = 4: the priority and the knowledge gap named by what to do
    data = score_to_dict(result, bank)
    assert [(p["question"], p["activity"], p["score"]) for p in data["priorities"]] == [
        ("G2.1", "Inför en rutin för G2.1", 4)]
    assert [(k["question"], k["activity"]) for k in data["knowledge_gaps"]] == [
        ("G2.2", "Gör G2.2")]


def test_disagreements__agreed_on_samsyn__no_longer_open():
    """A question the team has agreed a level for leaves the list of disagreements (Resultat,
    the report); its spread is still there to see."""
    bank = make_bank({"F1": 2}, top=TOP_4)

    result = score(bank, answers={"F1.1": [0, 3], "F1.2": [1, 4]}, consensus={"F1.2": 3})

    assert [q.id for q in result.disagreements] == ["F1.1"]
    assert result.question("F1.2").disagreement and result.question("F1.2").spread == 3


@pytest.mark.parametrize("value,lang,kw,text", [
    (1.25, "sv", {"digits": 2}, "1,25"),
    (-1.25, "sv", {"digits": 2}, "−1,25"),          # a real minus sign
    (-0.04, "sv", {"digits": 1}, "0,0"),            # never "-0,0"
    (-0.4, "en", {"digits": 0}, "0"),
    (2.5, "en", {"digits": 2, "trim": True}, "2.5"),
    (2.0, "sv", {"digits": 1, "trim": True}, "2"),
    (3.0, "sv", {"digits": 1, "sign": True}, "+3,0"),
    (0.0, "sv", {"digits": 1, "sign": True}, "0,0"),  # no sign on zero
    (None, "sv", {}, "–"),
])
def test_format_decimal__the_one_number_text(value, lang, kw, text):
    from assessment.i18n import format_decimal
    assert format_decimal(value, lang, **kw) == text


def test_rounded__minus_zero_is_zero():
    from scoring.score import rounded
    assert str(rounded(-0.00001)) == "0.0" and rounded(None) is None and rounded(1.23456) == 1.2346


# --- who can act, and one theme cannot fill the top ------------------------------------------

def editorial_bank(questions: list[dict], themes: list[str]):
    """A bank whose questions give the editorial ``decided_by`` and ``theme``."""
    data = bank_dict({"F1": questions}, top=TOP_4)
    data["themes"] = [{"id": t, "name": {"sv": f"Tema {t}", "en": f"Theme {t}"}} for t in themes]
    data["editorial"] = {"sv": "Redaktionens bedömning.", "en": "The editors' judgement."}
    return Bank.model_validate(data)


def marked(qid: str, decided_by: str, theme: str) -> dict:
    return question(qid) | {"decided_by": decided_by, "theme": theme}


UNIT_BANK = editorial_bank([marked("F1.1", "huvudman", "budget"),
                            marked("F1.2", "verksamhet", "rutiner"),
                            marked("F1.3", "forvaltning", "styrning"),
                            marked("F1.4", "verksamhet", "rutiner")],
                           ["budget", "rutiner", "styrning"])
UNIT_ANSWERS = {"F1.1": [0], "F1.2": [1], "F1.3": [2], "F1.4": [2]}


def test_unit_assessment__higher_level_set_apart__with_the_same_reasons():
    """Importance 2, no effort, one area: score = (3 − value) × 2. F1.1 (board): 3 × 2 = 6;
    F1.2 (unit): 2 × 2 = 4; F1.3 (administration): 1 × 2 = 2; F1.4 (unit): 1 × 2 = 2."""
    assessment = make_assessment(UNIT_BANK, answers=UNIT_ANSWERS)
    whole = score_assessment(assessment, UNIT_BANK)
    unit = score_assessment(assessment.model_copy(update={"organisation": assessment.organisation
                                                          .model_copy(update={"unit": "Hemtjänst"})}),
                            UNIT_BANK)

    # A whole organisation ranks all as before.
    assert [(p.question, p.score) for p in whole.priorities] == [
        ("F1.1", 6), ("F1.2", 4), ("F1.3", 2), ("F1.4", 2)]
    assert whole.for_leadership == []
    # A unit ranks its own actions and lists the rest apart, for the leadership to decide.
    assert [(p.question, p.score) for p in unit.priorities] == [("F1.2", 4), ("F1.4", 2)]
    assert [(p.question, p.score, p.decided_by) for p in unit.for_leadership] == [
        ("F1.1", 6, "huvudman"), ("F1.3", 2, "forvaltning")]
    assert explain(unit.for_leadership[0], UNIT_BANK, "sv") == (
        "Nuläget är 0 av 4 enligt 1 svar och målet är 3; viktighet och insats är ännu inte"
        " bedömda; enligt frågebankens bedömning beslutar nämnden eller huvudmannen om den, inte"
        " enheten. Nästa steg: lägg in aktiviteten i handlingsplanen med ansvarig och datum.")
    assert explain(unit.for_leadership[1], UNIT_BANK, "en") == (
        "The current level is 2 of 4 according to 1 answer and the target is 3; importance and"
        " effort are not yet assessed; in the bank's judgement the administration's management"
        " decides it, not the unit. Next step: put the activity in the action plan with an"
        " owner and a date.")
    # the unit's own reasons are those of the whole organisation
    assert explain(unit.priorities[0], UNIT_BANK, "sv") == explain(whole.priorities[1], UNIT_BANK,
                                                                   "sv")
    data = score_to_dict(unit, UNIT_BANK)
    assert [p["question"] for p in data["for_leadership"]] == ["F1.1", "F1.3"]


def test_theme_cap__six_of_one_theme__the_third_and_later_move_below_the_fifth_place():
    """Six activities of theme "delaktighet" at 0 (score (3 − 0) × 2 = 6 each), then three of
    other themes: F1.7 at 1 (4), F1.8 at 2 (2), F1.9 at 2 (2). Ranked: F1.1–F1.6 (6, bank
    order), F1.7, F1.8, F1.9. Capped: two of the theme (F1.1, F1.2), then F1.7, F1.8, F1.9 move
    up into places 3–5, and F1.3–F1.6 follow from place 6, each saying why."""
    questions = [marked(f"F1.{n}", "verksamhet", "delaktighet") for n in range(1, 7)]
    questions += [marked("F1.7", "verksamhet", "kultur"), marked("F1.8", "verksamhet", "risk"),
                  marked("F1.9", "verksamhet", "kultur")]
    bank = editorial_bank(questions, ["delaktighet", "kultur", "risk"])
    answers = {f"F1.{n}": [0] for n in range(1, 7)} | {"F1.7": [1], "F1.8": [2], "F1.9": [2]}

    result = score(bank, answers=answers)

    assert [(p.question, p.score, p.moved_for_theme) for p in result.priorities] == [
        ("F1.1", 6, False), ("F1.2", 6, False), ("F1.7", 4, False), ("F1.8", 2, False),
        ("F1.9", 2, False), ("F1.3", 6, True), ("F1.4", 6, True), ("F1.5", 6, True),
        ("F1.6", 6, True)]
    assert explain(result.priorities[5], bank, "sv") == (
        "Nuläget är 0 av 4 enligt 1 svar och målet är 3; viktighet och insats är ännu inte"
        " bedömda; aktiviteten står under plats 5 eftersom redan 2 av de 5 första gäller temat"
        " Tema delaktighet (ett tema får högst 2 av de 5 första platserna). Nästa steg: lägg in"
        " aktiviteten i handlingsplanen med ansvarig och datum.")
    assert "plats" not in explain(result.priorities[0], bank, "sv")


def test_theme_cap__too_few_others__the_moved_fill_the_places_left():
    """Four of one theme at 0 (6 each), one other at 1 (4): two of the theme, the other, then
    the third and fourth of the theme in places 4 and 5 – not below the fifth, so not marked."""
    questions = [marked(f"F1.{n}", "verksamhet", "delaktighet") for n in range(1, 5)]
    questions.append(marked("F1.5", "verksamhet", "kultur"))
    bank = editorial_bank(questions, ["delaktighet", "kultur"])

    result = score(bank, answers={"F1.1": [0], "F1.2": [0], "F1.3": [0], "F1.4": [0],
                                  "F1.5": [1]})

    assert [(p.question, p.moved_for_theme) for p in result.priorities] == [
        ("F1.1", False), ("F1.2", False), ("F1.5", False), ("F1.3", False), ("F1.4", False)]


def test_theme_cap__a_bank_without_themes__ranked_as_before():
    bank = make_bank({"F1": 6}, top=TOP_4)

    result = score(bank, answers={f"F1.{n}": [0] for n in range(1, 7)})

    assert [p.question for p in result.priorities] == [f"F1.{n}" for n in range(1, 7)]
    assert not any(p.moved_for_theme for p in result.priorities)


def test_whole_organisation__every_priority_names_its_decision_level_none_set_apart():
    result = score(UNIT_BANK, answers=UNIT_ANSWERS)

    assert [(p.question, p.decided_by, p.set_apart) for p in result.priorities] == [
        ("F1.1", "huvudman", False), ("F1.2", "verksamhet", False),
        ("F1.3", "forvaltning", False), ("F1.4", "verksamhet", False)]
    # the reasons name who decides only where an activity is set apart
    assert "beslutar" not in explain(result.priorities[0], UNIT_BANK, "sv")
