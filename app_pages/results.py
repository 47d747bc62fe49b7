"""Resultat: overall and per-area scores, the radar chart, the time perspectives, the heatmap
and the lists of disagreements and knowledge gaps. Every chart has a table alternative and
PNG/SVG downloads rendered only when asked for."""

from __future__ import annotations

import streamlit as st

from app_pages import context, report_io
from app_pages.chart_block import chart_block
from app_pages.context import t
from app_pages.markdown import plain
from assessment.history import load_previous
from assessment.i18n import format_percent, format_score
from charts.views import area_table, heatmap_view, radar_note, radar_view, time_view
from scoring.explain import coverage_text, gap_counts_text, gaps_text
from scoring.score import score_assessment


def render() -> None:
    found = context.require_assessment()
    if found is None:
        return
    assessment_id, assessment, bank = found
    lang = context.ui().lang
    result = score_assessment(assessment, bank)
    st.title(t("results.title"))
    org = assessment.organisation
    st.caption(plain(f"{org.label} · {assessment.date}"))

    summary = result.summary
    c = st.columns(5)
    c[0].metric(t("results.overall"), format_score(result.overall, lang), help=t("results.overall_help"))
    c[1].metric(t("results.knowledge_gaps"), summary.knowledge_gaps, help=t("results.gaps_help"))
    c[2].metric(t("results.unknown_answer_share"), format_percent(summary.unknown_answer_share, lang),
                help=t("results.unknown_answer_help"))
    c[3].metric(t("results.disagreements_open"), summary.disagreements,
                help=t("results.disagreements_help"))
    c[4].metric(t("results.participants"), len(assessment.participants))
    st.caption(" ".join((coverage_text(summary, lang, result.areas),
                         t("results.counts_line", gaps=gaps_text(summary, lang),
                           unknown=summary.unknown_answers, counted=summary.counted_answers))))
    if summary.all_unknown:
        st.warning(t("results.all_unknown", areas=", ".join(summary.all_unknown)))
    if result.overall is None:
        st.info(t("results.no_numbers"))
    report_io.download_buttons(assessment_id, assessment, bank, key="report_results")

    previous = load_previous(context.store(), context.banks(), assessment_id)
    prev_label = ""
    prev_result = None
    if previous is not None:
        prev_assessment, prev_bank = previous
        prev_result = score_assessment(prev_assessment, prev_bank)
        prev_label = t("results.series_previous_dated", date=str(prev_assessment.date))

    st.header(t("results.radar_title"))
    radar, radar_rows = radar_view(result, bank, lang, prev_result, prev_label)
    chart_block("radar", radar, radar_rows, title=t("results.radar_title"))
    note = radar_note(result, lang)
    if note:
        st.caption(note)
    st.dataframe(area_table(result, bank, lang), hide_index=True, width="stretch")

    st.header(t("results.time_title"))
    st.caption(t("results.time_help"))
    time_chart, time_rows = time_view(result, lang)
    chart_block("time", time_chart, time_rows, title=t("results.time_title"))

    st.header(t("results.heatmap_title"))
    heat, heat_rows = heatmap_view(result, bank, lang)
    chart_block("heatmap", heat, heat_rows, title=t("results.heatmap_title"))

    left, right = st.columns(2)
    with left:
        st.header(t("results.disagreements_title"))
        if not result.disagreements:
            st.caption(t("results.no_disagreements"))
        for q in result.disagreements:
            st.markdown(f"- **{q.id}** {plain(bank.question(q.id).text.get(lang))} "
                        f"({t('results.spread', spread=q.spread)})")
    with right:
        st.header(t("results.gaps_title"))
        st.caption(t("results.gaps_help"))
        if not result.knowledge_gaps:
            st.caption(t("results.no_gaps"))
        # Those without a value first; then those whose value stands on an uncertain basis.
        for uncertain in (False, True):
            listed = [k for k in result.knowledge_gaps if k.uncertain is uncertain]
            if uncertain and listed:
                st.caption(t("results.uncertain_title"))
            for k in listed:
                st.markdown(f"- **{k.question}** {plain(bank.question(k.question).text.get(lang))}"
                            f" ({gap_counts_text(k, lang)})")


