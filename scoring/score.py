"""Scoring a whole assessment against its bank: the entry point of ``scoring``."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping

from assessment.bank import Bank
from assessment.document import Assessment, answers_by_question
from scoring.areas import AreaScore, Overall, overall, score_area, time_perspective_scores
from scoring.explain import explain
from scoring.priorities import (
    KnowledgeGap,
    Priority,
    cap_themes,
    disagreements,
    knowledge_gaps,
    rank,
    set_apart,
)
from scoring.questions import QuestionScore, score_question


@dataclass(frozen=True)
class ScoringInput:
    """An assessment as scoring needs it, read from a file (``assessment.bulk_read``) or the
    database (``Store.scoring_inputs``): ``score_assessment(header, bank, answers)``."""

    header: Assessment           # everything but its answers (``answers == []``)
    answers: dict[str, list]     # each answered question's values (file order, or by value)


@dataclass
class AssessmentScore:
    summary: Overall
    time_perspective: dict[str, float | None]
    areas: list[AreaScore]
    priorities: list[Priority]
    knowledge_gaps: list[KnowledgeGap]
    disagreements: list[QuestionScore] = field(default_factory=list)
    # A unit's assessment: the activities a higher level decides ("för ledningen att
    # besluta"), ranked apart from the unit's own ``priorities``; empty for a whole organisation.
    for_leadership: list[Priority] = field(default_factory=list)

    @property
    def overall(self) -> float | None:
        return self.summary.score

    def area(self, area_id: str) -> AreaScore:
        for area in self.areas:
            if area.id == area_id:
                return area
        raise KeyError(area_id)

    def question(self, question_id: str) -> QuestionScore:
        for area in self.areas:
            for q in area.questions:
                if q.id == question_id:
                    return q
        raise KeyError(question_id)

    @property
    def progress(self) -> tuple[int, int]:
        """(questions with a value, questions in scope), each question counted once."""
        return self.summary.answered, self.summary.in_scope


def score_areas(assessment: Assessment, bank: Bank,
                grouped: Mapping[str, list] | None = None) -> list[AreaScore]:
    """Every area in the assessment's scope (its audience), in bank order, with its
    question scores, targets and importance.

    ``grouped`` gives every question's answer values when they are not in
    ``assessment.answers`` (counted in the database, or read in bulk:
    ``{"G1.1": [2, 2, 3, "unknown"]}``).
    """
    if grouped is None:
        grouped = answers_by_question(assessment)
    consensus = {c.question: c.value for c in assessment.consensus}
    top = bank.scale.top
    areas: list[AreaScore] = []
    for area, questions in bank.scope(assessment.effective_audience):
        scores = [
            score_question(q.id, area.id, grouped.get(q.id, _NONE), consensus.get(q.id),
                           q.id in consensus)
            for q in questions
        ]
        tp = area.time_perspective.value if area.time_perspective else None
        areas.append(score_area(area.id, scores, top, assessment.target(area.id, bank),
                                assessment.importance_of(area.id), tp))
    return areas


_NONE: list = []  # never changed: the answers of an unanswered question


def score_assessment(assessment: Assessment, bank: Bank,
                     grouped: Mapping[str, list] | None = None) -> AssessmentScore:
    """Score every area and question in the assessment's audience, and rank the activities.
    ``grouped``: as for ``score_areas``."""
    areas = score_areas(assessment, bank, grouped)
    effort = {k: v.value for k, v in assessment.effort.items()}
    ranked = rank(areas, bank.links_by_question(), effort, set(assessment.importance),
                  bank.sourced_pairings())
    ranked, above = set_apart(ranked, bank.decision_levels(),
                              unit=bool(assessment.organisation.unit.strip()))
    return AssessmentScore(
        summary=overall(areas),
        time_perspective=time_perspective_scores(areas),
        areas=areas,
        priorities=cap_themes(ranked, bank.themes_by_question()),
        knowledge_gaps=knowledge_gaps(areas),
        disagreements=disagreements(areas),
        for_leadership=above,
    )


def score_to_dict(result: AssessmentScore, bank: Bank) -> dict:
    """The JSON shape of ``score --json`` (one entry of ``assessments``, without ``file``)."""
    summary = result.summary
    return {
        "overall": rounded(result.overall),
        "overall_covers": {"areas": summary.areas_scored, "of_areas": summary.areas,
                           "questions": summary.questions_scored,
                           "of_questions": summary.questions,
                           "in_scope": summary.in_scope, "answered": summary.answered,
                           "na_questions": summary.na_questions,
                           "knowledge_gaps": summary.knowledge_gaps,
                           "uncertain": summary.uncertain,
                           "disagreements": summary.disagreements,
                           "areas_all_unknown": list(summary.all_unknown),
                           "areas_thin": list(summary.thin)},
        "time_perspective": {k: rounded(v) for k, v in result.time_perspective.items()},
        "areas": [
            {
                "id": a.id,
                "name": bank.area(a.id).name.sv,
                "score": rounded(a.score),
                "coverage": rounded(a.coverage),
                "enough_basis": a.enough_basis,
                "unknown_share": rounded(a.unknown_share),
                "unknown_answers": a.unknown_answers,
                "unknown_answer_share": rounded(a.unknown_answer_share),
                "na_answers": a.na_answers,
                "na_questions": a.na_questions,
                "target": a.target,
                "importance": a.importance,
                "gap": rounded(a.gap),
                "questions": [
                    {
                        "id": q.id,
                        "value": q.value,
                        "levels": q.levels,
                        "median": q.median,
                        "unknown_answers": q.unknown_answers,
                        "na_answers": q.na_answers,
                        "knowledge_gap": q.knowledge_gap,
                        "uncertain": q.uncertain,
                        "consensus": q.consensus,
                        "spread": q.spread,
                        "disagreement": q.disagreement,
                        "share_positive": rounded(q.share_positive),
                    }
                    for q in a.questions
                ],
            }
            for a in result.areas
        ],
        "priorities": [priority_to_dict(p, bank) for p in result.priorities],
        # a unit's assessment: what a higher level decides, ranked apart (else empty)
        "for_leadership": [priority_to_dict(p, bank) for p in result.for_leadership],
        "knowledge_gaps": [
            {"question": k.question, "activity": bank.question(k.question).title("sv"),
             "area": k.area, "unknown_answers": k.unknown_answers, "answers": k.answers,
             "levels": k.levels, "value": k.value}
            for k in result.knowledge_gaps
        ],
    }


def priority_to_dict(p: Priority, bank: Bank) -> dict:
    """One priority in the JSON of ``score --json``, its reasons in both languages."""
    return {"question": p.question, "activity": bank.question(p.question).title("sv"),
            "area": p.area, "areas": p.areas, "score": p.score, "gap": p.gap,
            "value": p.value, "target": p.target, "importance": p.importance,
            "effort": p.effort, "disagreement": p.disagreement, "next_step": p.next_step,
            "theme": p.theme, "moved_for_theme": p.moved_for_theme,
            "decided_by": p.decided_by,
            "why": explain(p, bank, "sv"), "why_en": explain(p, bank, "en")}


def rounded(value: float | None, digits: int = 4) -> float | None:
    """A figure as the JSON output and the comparison give it: ``digits`` decimals, -0 as 0."""
    if value is None:
        return None
    return round(value, digits) + 0.0  # + 0.0 turns -0.0 into 0.0
