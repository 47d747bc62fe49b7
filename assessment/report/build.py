"""The report's content, built once from the scores (``scoring.score.score_assessment``) and
rendered to Word and PDF by ``report.docx`` and ``report.pdf``.

Page 1 is a summary for decision makers; then the results per area, the full list of
priorities and knowledge gaps, the action plan, the method note and texts laid out after the
patient safety report's headings. Every text comes from ``locales/`` (``report.*``).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

from assessment.action_plan import LOCAL, grouped_by_perspective, plan_values, section_heading
from assessment.bank import Bank
from assessment.document import ActionStatus, Assessment
from assessment.i18n import (catalogue, format_decimal, format_level, format_percent, format_score,
                             translate)
from assessment.report.model import Bullets, Heading, Image, Paragraph, Report, Row, Section, Table
from charts.views import radar_note, radar_view, time_texts, value_basis
from scoring.explain import (area_name, area_names, area_score_text, counted, coverage_text, defaults_left,
                             explain, gap_counts_text, gaps_text, strongest_weakest)
from scoring.areas import overall_change
from scoring.score import AssessmentScore, score_assessment

TOP = 5              # priorities on page 1
GAPS_ON_SUMMARY = 5  # knowledge gaps listed on page 1 (the rest: "and N more")
NAMES_ON_SUMMARY = 15
RADAR_CM = 6.8
ANONYMOUS_PREFIX = "anonym-"  # the id a live anonymous workshop gives (assessment.storage.workshops)


class Words:
    """``report.*`` texts of one language."""

    def __init__(self, lang: str):
        self.lang = lang

    def __call__(self, key: str, **values) -> str:
        return translate(self.lang, f"report.{key}", **values)

    def plural(self, key: str, count: int) -> str:
        """``{key}_one`` for 1, ``{key}_many`` otherwise (``{key}_zero`` for 0 where given)."""
        if count == 0 and f"report.{key}_zero" in catalogue("sv"):
            return self(f"{key}_zero")
        return self(f"{key}_one") if count == 1 else self(f"{key}_many", count=count)


def build_report(assessment: Assessment, bank: Bank, lang: str = "sv",
                 previous: tuple[Assessment, Bank] | None = None,
                 exported: dt.date | None = None,
                 result: AssessmentScore | None = None) -> Report:
    """The whole report of one assessment. ``previous``: the unit's assessment before this
    one (its series on the radar and the follow-up text); ``exported``: the date printed as
    the export date (today)."""
    w = Words(lang)
    exported = exported or dt.date.today()
    result = result or score_assessment(assessment, bank)
    prev_result = None
    prev_date = None
    if previous is not None:
        prev_result = score_assessment(previous[0], previous[1])
        prev_date = previous[0].date.isoformat()
    org = assessment.organisation
    report = Report(
        lang=lang,
        title=w("title", organisation=org.name),
        subtitle=" · ".join(filter(None, [org.unit, w("subtitle", date=assessment.date.isoformat())])),
        footer=w("footer", organisation=org.name, date=assessment.date.isoformat(),
                 exported=exported.isoformat()),
        page_label=w("page", page="{page}", pages="{pages}"),
    )
    report.sections = [
        _summary(w, assessment, bank, result, prev_result, prev_date, exported),
        _areas(w, assessment, bank, result),
        _priorities(w, bank, result),
        _plan(w, assessment, bank),
        _method(w, assessment, bank, result),
        _psb(w, assessment, bank, result, prev_result, prev_date),
    ]
    return report


# --- page 1 ------------------------------------------------------------------------------

def participants_text(assessment: Assessment, lang: str) -> str:
    """Who took part: names and roles where given; the count in an anonymous workshop (its
    participants have no name and an ``anonym-`` id) or when nobody gave a name."""
    w = Words(lang)
    people = assessment.participants
    if not people:
        return w("participants_none")
    named = [p for p in people if p.name.strip()]
    anonymous = [p for p in people if not p.name.strip() and p.id.startswith(ANONYMOUS_PREFIX)]
    unnamed = len(people) - len(named) - len(anonymous)
    if not named:
        if anonymous and not unnamed:
            return w("participants_anonymous", count=len(people))
        return w("participants_count", count=len(people))
    shown = [f"{p.name} ({p.role})" if p.role.strip() else p.name for p in named[:NAMES_ON_SUMMARY]]
    hidden = len(named) - len(shown)
    text = ", ".join(shown)
    if hidden:
        text += " " + w("participants_more_named", count=hidden)
    if anonymous:
        text += " " + w("participants_more_anonymous", count=len(anonymous))
    if unnamed:
        text += " " + w("participants_more_unnamed", count=unnamed)
    return f"{text} – {w('participants_count', count=len(people))}"


def picture_sentences(w: Words, bank: Bank, result: AssessmentScore) -> list[str]:
    """The overall picture in three parts from the numbers: the overall with what it covers
    (and the areas on too little basis), the strongest and weakest area of those with enough
    basis, the knowledge gaps and open disagreements – each count as ``result.summary`` has it."""
    lang = w.lang
    summary = result.summary
    covers = coverage_text(summary, lang, result.areas)
    first = (w("overall_sentence", score=format_score(result.overall, lang), covers=covers)
             if result.overall is not None else w("overall_none", covers=covers))
    solid = [a for a in result.areas if a.enough_basis]
    pair = strongest_weakest(result.areas)
    if pair is not None:
        best, worst = pair
        second = w("best_worst", best=area_names(bank, best, lang),
                   best_score=format_score(best[0].score, lang),
                   worst=area_names(bank, worst, lang), worst_score=format_score(worst[0].score, lang))
    elif len(solid) >= 2:
        second = w("all_equal", count=len(solid), score=format_score(solid[0].score, lang))
    elif solid:
        second = w("only_area", area=area_name(bank, solid[0].id, lang),
                   score=format_score(solid[0].score, lang))
    else:
        second = w("no_area")
    third = w("gaps_disagreements", gaps=gaps_text(summary, lang),
              disagreements=counted(lang, "disagreements", summary.disagreements))
    return [first, second, third]


def scope_text(w: Words, summary) -> str:
    """What the team answered, not what the bank holds: "Gruppen besvarade 20 av 59 frågor;
    3 av 9 områden har tillräckligt underlag för en poäng", with the questions set aside as
    Ej aktuellt where there are any."""
    text = w("scope", answered=summary.answered, in_scope=summary.in_scope)
    if summary.na_questions:
        text += " " + w("scope_na", na=counted(w.lang, "na", summary.na_questions))
    return text + w("scope_areas", areas=summary.areas_enough, of_areas=summary.areas)


def status_counts(assessment: Assessment, lang: str) -> str:
    counts = Counter(a.status for a in assessment.actions)
    return " · ".join(f"{translate(lang, 'status.' + s.value)} {counts.get(s, 0)}"
                      for s in ActionStatus)


def plan_status_text(w: Words, assessment: Assessment) -> str:
    n = len(assessment.actions)
    if not n:
        return w("plan_status_none")
    statuses = status_counts(assessment, w.lang)
    return w("plan_status_one", statuses=statuses) if n == 1 else w("plan_status", count=n,
                                                                     statuses=statuses)


def radar_png(result: AssessmentScore, bank: Bank, lang: str,
              prev_result: AssessmentScore | None, prev_date: str | None) -> bytes:
    from charts.export import chart_png

    label = translate(lang, "results.series_previous_dated", date=prev_date) if prev_date else ""
    chart, _ = radar_view(result, bank, lang, prev_result, label)
    return chart_png(chart, scale=2.0)


def _summary(w: Words, assessment: Assessment, bank: Bank, result: AssessmentScore,
             prev_result: AssessmentScore | None, prev_date: str | None,
             exported: dt.date) -> Section:
    lang = w.lang
    org = assessment.organisation
    s = Section("summary", w("summary_title"), new_page=False, compact=True)
    facts = (
        (w("fact_organisation"), org.name),
        (w("fact_unit"), org.unit or w("fact_unit_none")),
        (w("fact_date"), assessment.date.isoformat()),
        (w("fact_participants"), participants_text(assessment, lang)),
        (w("fact_bank"), bank.title.get(lang)),
        (w("fact_exported"), exported.isoformat()),
    )
    top = bank.scale.top
    previous = w("radar_caption_previous", date=prev_date) if prev_result is not None else ""
    s.add(Row((Table((), facts, widths=(1, 2.2), name="facts", small=True),
               Image(radar_png(result, bank, lang, prev_result, prev_date), RADAR_CM,
                     w("radar_alt", top=top))), widths=(9.5, 7.5)),
          Paragraph(" ".join(filter(None, (w("radar_caption", previous=previous, top=top),
                                           radar_note(result, lang)))), "small"))
    s.add(Heading(w("picture_title"), 2), Paragraph(" ".join(picture_sentences(w, bank, result))))
    s.add(Heading(w("top_title"), 2))
    top_five = result.priorities[:TOP]
    if top_five:
        s.add(Bullets(tuple(w("top_item", title=title_of(bank, p.question, lang), id=p.question,
                              why=explain(p, bank, lang)) for p in top_five), numbered=True))
        left = defaults_left(result.priorities)
        if left:
            s.add(Paragraph(w("top_defaults", count=left, total=len(result.priorities)), "small"))
    else:
        s.add(Paragraph(w("top_none")))
    if result.for_leadership:  # a unit's assessment: what a higher level decides, apart
        s.add(Paragraph(w("top_leadership", count=len(result.for_leadership),
                          ids=", ".join(p.question for p in result.for_leadership[:TOP])),
                        "small"))
    s.add(Heading(w("gaps_title"), 2))
    gaps = result.knowledge_gaps
    if gaps:
        s.add(Bullets(tuple(_gap_item(w, bank, k) for k in gaps[:GAPS_ON_SUMMARY])))
        if len(gaps) > GAPS_ON_SUMMARY:
            s.add(Paragraph(w("gaps_more", count=len(gaps) - GAPS_ON_SUMMARY), "small"))
    else:
        s.add(Paragraph(w("gaps_none")))
    s.add(Heading(w("plan_status_title"), 2), Paragraph(plan_status_text(w, assessment)))
    return s


def title_of(bank: Bank, question_id: str, lang: str) -> str:
    """The activity's title with a capital first letter (the plan's wording starts lower case)."""
    text = bank.question(question_id).title(lang).strip()
    return text[:1].upper() + text[1:]


def _gap_item(w: Words, bank: Bank, k) -> str:
    counts = gap_counts_text(k, w.lang)
    return w("gap_item", id=k.question, title=title_of(bank, k.question, w.lang), counts=counts)


# --- per area ------------------------------------------------------------------------------

def area_rows(w: Words, bank: Bank, result: AssessmentScore) -> tuple[tuple[str, ...], ...]:
    """A row per area, then the total row: the counts of ``result.summary``, each question
    once (a shared question counts in both its areas' rows, once in the total)."""
    lang = w.lang
    summary = result.summary
    rows = tuple(
        (area_name(bank, a.id, lang), area_score_text(a, lang), format_level(a.solid_level, lang),
         format_level(a.target, lang), format_level(a.solid_gap, lang),
         format_percent(a.coverage, lang),
         str(a.knowledge_gaps), str(a.open_disagreements))
        for a in result.areas
    )
    total = (w("total_row"), format_score(result.overall, lang), "", "", "",
             w("total_covered", questions=summary.questions_scored, of=summary.in_scope),
             str(summary.knowledge_gaps), str(summary.disagreements))
    return rows + (total,)


def _areas(w: Words, assessment: Assessment, bank: Bank, result: AssessmentScore) -> Section:
    lang = w.lang
    top = bank.scale.top
    s = Section("areas", w("areas_title"))
    s.add(Paragraph(w("areas_intro", top=top), "small"))
    s.add(Table((w("col_area"), w("col_score"), w("col_level"), w("col_target"), w("col_gap"),
                 w("col_coverage"), w("col_gaps"), w("col_disagreements")),
                area_rows(w, bank, result), widths=(3.4, 0.9, 0.9, 0.9, 0.9, 1.3, 1.8, 1.6),
                numeric=frozenset(range(1, 8)), name="areas"))
    s.add(Paragraph(w("areas_total_note"), "small"))
    perspectives = [f"{translate(lang, 'time.' + tp)} {text}"
                    for tp, text in time_texts(result, lang).items() if text]
    if perspectives:
        s.add(Paragraph(w("time_line", items=" · ".join(perspectives)), "small"))
    notes = {c.question: c for c in assessment.consensus if c.note.strip()}
    for a in result.areas:
        s.add(Heading(area_name(bank, a.id, lang), 2))
        s.add(Paragraph(w("area_line", score=area_score_text(a, lang),
                          level=format_level(a.solid_level, lang),
                          target=format_level(a.target, lang), gap=format_level(a.solid_gap, lang),
                          coverage=format_percent(a.coverage, lang),
                          unknown=a.unknown_answers, counted=a.counted_answers, na=a.na_answers),
                        "small"))
        rows = []
        for q in a.questions:
            activity = bank.activity_in(bank.question(q.id), a.id).get(lang)
            spread = "" if q.spread is None else (
                w("spread_disagreement", spread=q.spread) if q.open_disagreement else
                w("spread_agreed", spread=q.spread) if q.disagreement else str(q.spread))
            rows.append((q.id, activity[:1].upper() + activity[1:], bank.scale.value_text(q.value, lang),
                         value_basis(q, lang) or w("unanswered"), spread))
        s.add(Table((w("col_question"), w("col_activity"), w("col_value"), w("col_basis"),
                     w("col_spread")), tuple(rows), widths=(0.9, 5, 0.9, 2.6, 1.4),
                    numeric=frozenset({2}), name=f"questions {a.id}", small=True))
        split = [q for q in a.questions if q.open_disagreement]
        if split:
            s.add(Paragraph(w("disagreements_line", items=", ".join(
                w("disagreement_item", id=q.id, spread=q.spread) for q in split)), "small"))
        own_notes = [notes[q.id] for q in a.questions if q.id in notes]
        if own_notes:
            s.add(Heading(w("notes_title"), 3),
                  Bullets(tuple(w("note_item", id=c.question, value=bank.scale.value_text(c.value, lang),
                                  note=c.note.strip()) for c in own_notes)))
    return s


# --- priorities, plan ----------------------------------------------------------------------

def _priorities(w: Words, bank: Bank, result: AssessmentScore) -> Section:
    lang = w.lang
    s = Section("priorities", w("priorities_title"))
    s.add(Paragraph(_with_theme_cap(w, bank, "priorities_intro"), "small"))
    if result.priorities:
        rows = tuple((str(i), p.question, title_of(bank, p.question, lang),
                      _decimal(p.score, lang),
                      explain(p, bank, lang))
                     for i, p in enumerate(result.priorities, 1))
        s.add(Table((w("col_rank"), w("col_question"), w("col_activity"), w("col_priority"),
                     w("col_why")), rows, widths=(0.5, 0.9, 3.6, 1, 5),
                    numeric=frozenset({0, 3}), name="priorities", small=True))
    else:
        s.add(Paragraph(w("priorities_none")))
    if result.for_leadership:
        rows = tuple((str(i), p.question, title_of(bank, p.question, lang),
                      _decimal(p.score, lang), explain(p, bank, lang))
                     for i, p in enumerate(result.for_leadership, 1))
        s.add(Heading(w("leadership_title"), 2), Paragraph(w("leadership_intro"), "small"),
              Table((w("col_rank"), w("col_question"), w("col_activity"), w("col_priority"),
                     w("col_why")), rows, widths=(0.5, 0.9, 3.6, 1, 5),
                    numeric=frozenset({0, 3}), name="for leadership", small=True))
    s.add(Heading(w("gaps_list_title"), 2), Paragraph(w("gaps_list_intro"), "small"))
    if result.knowledge_gaps:
        rows = tuple((k.question, title_of(bank, k.question, lang),
                      gap_counts_text(k, lang), str(k.levels)) for k in result.knowledge_gaps)
        s.add(Table((w("col_question"), w("col_activity"), w("col_unknown"), w("col_levels")),
                    rows, widths=(0.9, 5, 2.4, 1.2), numeric=frozenset({3}), name="knowledge gaps",
                    small=True))
    else:
        s.add(Paragraph(w("gaps_none")))
    return s


def _plan(w: Words, assessment: Assessment, bank: Bank) -> Section:
    """The plan as a local handlingsplan: by time perspective, then area; per item the
    activity, goal, action, owner, due date, status, follow-up and note."""
    lang = w.lang
    s = Section("plan", w("plan_title"))
    sections = grouped_by_perspective(assessment, bank)
    if not sections:
        return s.add(Paragraph(w("plan_none")))
    s.add(Paragraph(plan_status_text(w, assessment), "small"))
    for section, groups in sections:
        s.add(Heading(section_heading(section, lang), 2))
        for area_id, actions in groups:
            if area_id != LOCAL:  # the local actions' section is their only group
                s.add(Heading(area_name(bank, area_id, lang), 3))
            rows = []
            for a in actions:
                v = plan_values(bank, a, lang)
                when = v["follow_up_date"].isoformat() if v["follow_up_date"] else ""
                follow_up = " · ".join(part for part in (v["follow_up"], when) if part)
                rows.append((f"{v['activity']} {v['activity_text']}".strip(), v["goal"], v["title"],
                             v["owner"], v["due"].isoformat() if v["due"] else "", v["status"],
                             follow_up, v["note"]))
            s.add(Table((w("col_activity"), w("col_goal"), w("col_action"), w("col_owner"),
                         w("col_due"), w("col_status"), w("col_follow_up"), w("col_note")),
                        tuple(rows), widths=(2.6, 1.8, 2.2, 1.2, 1.1, 0.9, 1.9, 1.4),
                        name=f"plan {area_id}", small=True))
    return s


def follow_text(w: Words, result: AssessmentScore, prev_result: AssessmentScore | None,
                prev_date: str | None) -> str:
    """The change since the previous assessment, like with like: the overall's change when
    both rest on the same questions, else the change over the questions with a level both
    times, saying the totals rest on different questions."""
    if prev_result is None:
        return w("psb_follow_first")
    lang = w.lang
    change = overall_change(prev_result.areas, result.areas)
    if change.same_basis and change.common:
        return w("psb_follow_previous", date=prev_date, before=format_score(change.before, lang),
                 after=format_score(change.after, lang))
    totals = w("psb_follow_totals", before=format_score(change.total_before, lang),
               after=format_score(change.total_after, lang), n_before=change.questions_before,
               n_after=change.questions_after)
    if change.common:
        return w("psb_follow_common", date=prev_date, common=change.common,
                 before=format_score(change.before, lang),
                 after=format_score(change.after, lang)) + " " + totals
    return w("psb_follow_none_common", date=prev_date) + " " + totals


# --- method, patient safety report -------------------------------------------------------------

def source_titles(bank: Bank, lang: str) -> list[str]:
    """The documents the bank rests on, by title (never a file name): the seed's number
    (``001_….txt`` → ``report.sources.s001``) names a known document; a bank of one's own is
    named by its title and chapter."""
    number = bank.source.seed.split("_")[0].split(".")[0]
    key = f"report.sources.s{number}"
    titles = []
    if number.isdigit() and key in catalogue("sv"):
        titles.append(translate(lang, key))
        if number == "004":  # the survey follows up the plan
            titles.append(translate(lang, "report.sources.plan"))
    else:
        titles.append(translate(lang, "report.method_source_bank", title=bank.title.get(lang),
                                chapter=bank.source.chapter))
    titles.append(translate(lang, "report.sources.mapsaf"))
    return titles


def _decimal(value: float, lang: str) -> str:
    """A priority score with two decimals: "2,50" (sv), "2.50" (en)."""
    return format_decimal(value, lang, 2)


def na_items(w: Words, assessment: Assessment, bank: Bank, result: AssessmentScore) -> list[str]:
    """The questions set aside as Ej aktuellt, each once, with the reasons the participants
    gave in their answers' comments ("ingen motivering angiven" where nobody wrote one)."""
    reasons: dict[str, list[str]] = {}
    for answer in assessment.answers:
        if answer.value == "na" and answer.comment.strip():
            reasons.setdefault(answer.question, []).append(answer.comment.strip())
    seen: dict[str, str] = {}
    for area in result.areas:
        for q in area.questions:
            if q.value == "na" and q.id not in seen:
                seen[q.id] = w("method_na_item", id=q.id, title=title_of(bank, q.id, w.lang),
                               reasons="; ".join(reasons.get(q.id, ())) or w("method_na_none"))
    return list(seen.values())


def _with_theme_cap(w: Words, bank: Bank, key: str) -> str:
    """A text about the ranking, with the theme cap and the unit's separate list where the
    bank gives themes (the national bank; not the municipal survey)."""
    return " ".join([w(key)] + ([w("theme_cap")] if bank.themes else []))


def _method(w: Words, assessment: Assessment, bank: Bank, result: AssessmentScore) -> Section:
    lang = w.lang
    scale = ", ".join(level.label.get(lang) for level in bank.scale.levels)
    s = Section("method", w("method_title"))
    set_aside = na_items(w, assessment, bank, result)
    na_blocks = ((Paragraph(w("method_na_list", count=len(set_aside))), Bullets(tuple(set_aside)))
                 if set_aside else ())
    s.add(Paragraph(w("method_scale", scale=scale)), Paragraph(w("method_value")),
          Paragraph(w("method_unknown")), Paragraph(w("method_na")), *na_blocks,
          Paragraph(w("method_scores")),
          Paragraph(_with_theme_cap(w, bank, "method_priorities")),
          Paragraph(w("method_bank", title=bank.title.get(lang), id=bank.id, version=bank.version)),
          *_competence_targets(w, bank, result),
          Heading(w("method_sources"), 2), Bullets(tuple(source_titles(bank, lang))))
    return s


def _competence_targets(w: Words, bank: Bank, result: AssessmentScore) -> tuple:
    """The national competence targets (banks that list them), each with the questions the
    bank links to it and their values in this assessment: the links are the bank's editorial
    judgement, and the heading says so."""
    if not bank.competence_targets:
        return ()
    lang = w.lang
    scored = {q.id: q.value for a in result.areas for q in a.questions}
    rows = []
    for target in bank.competence_targets:
        linked = [q for _, q in bank.question_index().values()
                  if target.number in q.competence_targets]
        rows.append((str(target.number), target.name.get(lang),
                     "; ".join(f"{q.id} {bank.scale.value_label(scored.get(q.id), lang)}"
                               for q in linked)))
    return (Heading(w("competence_title"), 2), Paragraph(w("competence_intro")),
            Table((w("competence_col_number"), w("competence_col_target"),
                   w("competence_col_questions")), tuple(rows), widths=(0.6, 4, 4),
                  name="competence_targets", small=True))


def _psb(w: Words, assessment: Assessment, bank: Bank, result: AssessmentScore,
         prev_result: AssessmentScore | None, prev_date: str | None) -> Section:
    lang = w.lang
    org = assessment.organisation
    s = Section("psb", w("psb_title"))
    s.add(Paragraph(w("psb_intro"), "small"))
    summary = result.summary
    organised = w("psb_organised", date=assessment.date.isoformat(),
                  unit=f"{org.name}, {org.unit}" if org.unit else org.name,
                  participants=participants_text(assessment, lang), scope=scope_text(w, summary))
    agreed = {c.question for c in assessment.consensus}
    if agreed:
        organised += " " + w("psb_consensus", count=w.plural("questions", len(agreed)))
    s.add(Heading(w("psb_organised_title"), 2), Paragraph(organised))
    sentences = picture_sentences(w, bank, result)
    scored = [f"{area_name(bank, a.id, lang)} {area_score_text(a, lang)}"
              for a in result.areas if a.score is not None]
    results = " ".join(sentences[:2])
    if scored:
        results += " " + w("psb_results_areas", items="; ".join(scored))
    s.add(Heading(w("psb_results_title"), 2), Paragraph(results))
    below = sorted((a for a in result.areas if a.enough_basis and a.gap > 0),
                   key=lambda a: -a.gap)[:3]
    analysis = (w("psb_analysis_gaps", items="; ".join(
        f"{area_name(bank, a.id, lang)} ({w('col_gap').lower()} {format_level(a.gap, lang)})"
        for a in below)) if below else w("psb_analysis_none"))
    analysis += " " + sentences[2]
    if result.knowledge_gaps:
        gaps = gaps_text(summary, lang)
        analysis += " " + w("psb_analysis_unknown", gaps=gaps[:1].upper() + gaps[1:])
    s.add(Heading(w("psb_analysis_title"), 2), Paragraph(analysis))
    actions = []
    if result.priorities:
        actions.append(w("psb_actions_top", items="; ".join(
            f"{title_of(bank, p.question, lang)} ({p.question})"
            for p in result.priorities[:TOP])))
    if result.for_leadership:  # a unit's assessment: what it asks the leadership to decide
        actions.append(w("psb_actions_leadership", items="; ".join(
            f"{title_of(bank, p.question, lang)} ({p.question})"
            for p in result.for_leadership[:TOP])))
    plan = assessment.actions
    if plan:
        actions.append(w("psb_actions_plan", count=w.plural("actions", len(plan)),
                         statuses=status_counts(assessment, lang),
                         owners=sum(1 for a in plan if a.owner.strip()),
                         dated=sum(1 for a in plan if a.due)))
    else:
        actions.append(w("psb_actions_none"))
    s.add(Heading(w("psb_actions_title"), 2), Paragraph(" ".join(actions)))
    follow = follow_text(w, result, prev_result, prev_date)
    s.add(Heading(w("psb_follow_title"), 2), Paragraph(follow + " " + w("psb_follow_plan")))
    return s
