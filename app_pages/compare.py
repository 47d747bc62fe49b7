"""Jämför: several saved or uploaded assessments of one bank side by side – over time (one
organisation and unit by date), across units (the latest assessment of each) and against
the national survey. The rules are in ``scoring.compare``; the charts and tables in
``charts.compare``; this page only picks, reads and shows.

Saved assessments are read in bulk and their scores kept while they do not change
(``assessment.snapshots``, one ``SavedSnapshots`` for the process).
What the user picked is the session's ``CompareState`` (``state.py``), which only this page
sets and reads; the multiselect's widget key is filled from it again after a page switch.
"""

from __future__ import annotations

import hashlib
import json
from typing import Sequence

import streamlit as st

from app_pages import context
from app_pages.chart_block import chart_block
from app_pages.context import t
from app_pages.markdown import plain
from app_pages.state import CompareState, Upload, session
from assessment.bank_upgrade import read_as
from assessment.bank import Bank
from assessment.excel.compare_export import compare_workbook
from assessment.files import parse_assessment
from assessment.problems import InvalidFile
from assessment.snapshots import SavedSnapshots
from assessment.storage import AssessmentSummary, StorageError
from charts.compare import (
    action_text,
    below_target_rows,
    national_single_rows,
    national_view,
    radar_time_view,
    spread_rows,
    step_area_rows,
    step_question_rows,
    trend_view,
    unit_heatmap_view,
)
from scoring.compare import (
    MAX_RADAR_DATES,
    Excluded,
    Snapshot,
    date_names,
    furthest_below_target,
    has_reference,
    latest_per_unit,
    national,
    snapshot,
    split_comparable,
    spread,
    step,
    timeline,
    unit_names,
    units,
)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_UPLOAD_MB = 20
SHOWN_PROBLEMS = 50
PICK_KEY = "cmp_saved"


def _state() -> CompareState:
    return session().compare


def _in_chosen_workspace(summaries: list) -> list:
    """With sign-in, the assessments of the workspace picked on Start (those of all the
    member's workspaces while none is picked); without sign-in every one."""
    chosen = st.session_state.get(context.WORKSPACE)
    if context.member() is None or chosen is None:
        return summaries
    workspace = context.workspace(context.store().list_workspaces())
    return summaries if workspace is None else [s for s in summaries
                                                if s.workspace_id == workspace.id]


def render() -> None:
    lang = context.ui().lang
    st.title(t("compare.title"))
    st.caption(t("compare.intro"))
    bank_set = context.banks()
    try:
        summaries = _in_chosen_workspace(context.store().list_assessments())
    except StorageError as exc:
        st.error(t("compare.read_error", reason=plain(str(exc))))
        return
    by_id = {s.id: s for s in summaries}
    chosen = _pick_saved(summaries, bank_set)
    uploads = _uploads()

    # One made with an earlier version of its bank that the installed one upgrades is read as
    # the installed version (assessment.bank_upgrade).
    items = [(aid, by_id[aid].bank_id,
              read_as(bank_set.get(by_id[aid].bank_id), by_id[aid].bank_version)) for aid in chosen]
    items += [(key, u.assessment.bank.id, u.assessment.bank.version) for key, u in uploads.items()]
    installed = {bank_id: bank.version for bank_id, bank in bank_set.banks.items()}
    choice = split_comparable(items, installed)
    names = {aid: _summary_label(by_id[aid]) for aid in chosen}
    names.update({key: _upload_label(u) for key, u in uploads.items()})
    if choice.excluded:
        _show_excluded(choice.excluded, names, bank_set)
    if choice.bank_id is None:
        st.info(t("compare.pick_one"))
        return
    bank = bank_set.get(choice.bank_id)
    try:
        saved = _snapshots().of(context.store(),
                                [by_id[k] for k in choice.included if k in by_id], bank)
    except StorageError as exc:
        st.error(t("compare.read_error", reason=plain(str(exc))))
        return
    fresh = {key: snapshot(key, uploads[key].assessment, bank)
             for key in choice.included if key in uploads}
    # One deleted in another window since the list was read is left out.
    snaps = [found for key in choice.included
             if (found := saved.get(key) or fresh.get(key)) is not None]

    st.caption(t("compare.selected", count=len(snaps), bank=plain(bank.title.get(lang)),
                 version=plain(bank.version)))
    st.download_button(
        t("compare.excel_download"),
        data=lambda: compare_workbook(snaps, bank, lang, sources={
            key: uploads[key].name if key in uploads else key for key in choice.included}),
        file_name="jamforelse.xlsx" if lang == "sv" else "comparison.xlsx", mime=XLSX,
        key="cmp_excel", on_click="ignore", icon="📗",
    )
    over_time, across, against = st.tabs([t("compare.tab_time"), t("compare.tab_units"),
                                          t("compare.tab_national")])
    with over_time:
        _over_time(snaps, bank, lang)
    with across:
        _across_units(snaps, bank, lang)
    with against:
        _against_national(snaps, bank, lang)


# --- picking -----------------------------------------------------------------------------------

def _summary_label(s: AssessmentSummary) -> str:
    unit = f" – {s.unit}" if s.unit.strip() else ""
    return f"{s.org_name}{unit} · {s.date} · {s.bank_id}"


def _upload_label(upload: Upload) -> str:
    a = upload.assessment
    unit = f" – {a.organisation.unit}" if a.organisation.unit.strip() else ""
    return f"{a.organisation.name}{unit} · {a.date} ({upload.name})"


def _pick_saved(summaries: list[AssessmentSummary], bank_set) -> list[str]:
    """The saved assessments chosen: a multiselect, and a quick choice of every saved
    assessment of one bank and year."""
    state = _state()
    by_id = {s.id: s for s in summaries}
    state.saved = [aid for aid in state.saved if aid in by_id]
    current = st.session_state.get(PICK_KEY)
    if current is None or any(aid not in by_id for aid in current):
        st.session_state[PICK_KEY] = list(state.saved)  # after a page switch, or a deletion
    if not summaries:
        st.caption(t("compare.none_saved"))
        return []
    groups: dict[str, list[str]] = {}  # every year of a bank, then each year, newest first
    for s in sorted(summaries, key=lambda s: (s.bank_id, s.bank_version, -s.date.year)):
        groups.setdefault(json.dumps([s.bank_id, s.bank_version, None]), []).append(s.id)
        groups.setdefault(json.dumps([s.bank_id, s.bank_version, s.date.year]), []).append(s.id)

    def group_label(key: str) -> str:
        bank_id, version, year = json.loads(key)
        bank = bank_set.get(bank_id)
        title = bank.title.get(context.ui().lang) if bank else bank_id
        return t("compare.quick_option", bank=title, version=version,
                 year=year or t("compare.all_years"), count=len(groups[key]))

    cols = st.columns([3, 1, 1], vertical_alignment="bottom")
    group = cols[0].selectbox(t("compare.quick"), list(groups), format_func=group_label,
                              key="cmp_quick")
    cols[1].button(t("compare.quick_choose"), key="cmp_quick_choose", on_click=_choose,
                   args=(groups.get(group, []),))
    cols[2].button(t("compare.clear"), key="cmp_clear", on_click=_choose, args=([],))
    labels = {s.id: _summary_label(s) for s in summaries}
    st.multiselect(t("compare.pick_saved"), list(labels), format_func=labels.get, key=PICK_KEY,
                   on_change=_picked, placeholder=t("compare.pick_placeholder"))
    state.saved = list(st.session_state[PICK_KEY])
    return state.saved


def _choose(ids: list[str]) -> None:
    st.session_state[PICK_KEY] = list(ids)
    _state().saved = list(ids)


def _picked() -> None:
    _state().saved = list(st.session_state[PICK_KEY])


def _uploads() -> dict[str, Upload]:
    """The uploaded files that are valid assessments, by key; each file is parsed once."""
    state = _state()
    files = st.file_uploader(t("compare.upload_label"), type=["json"], accept_multiple_files=True,
                             key="cmp_upload", max_upload_size=MAX_UPLOAD_MB,
                             help=t("compare.upload_help"))
    present = {f.file_id: f for f in files or []}
    state.uploads = {k: u for k, u in state.uploads.items() if k in present}
    banks = context.banks().banks
    for file_id, f in present.items():
        if file_id not in state.uploads:
            try:
                state.uploads[file_id] = Upload(f.name, parse_assessment(f.name, f.getvalue(), banks))
            except InvalidFile as exc:
                state.uploads[file_id] = Upload(f.name, None, [str(p) for p in exc.problems])
    bad = [u for u in state.uploads.values() if u.assessment is None]
    if bad:
        st.error(t("compare.upload_invalid", count=len(bad)))
        lines = [line for u in bad for line in u.problems]
        st.code("\n".join(lines[:SHOWN_PROBLEMS]), language=None)
    return {f"upload:{k}": u for k, u in state.uploads.items() if u.assessment is not None}


def _show_excluded(excluded: Sequence[Excluded], names: dict[str, str], bank_set) -> None:
    lang = context.ui().lang

    def title(bank_id: str) -> str:
        bank = bank_set.get(bank_id)
        return bank.title.get(lang) if bank else bank_id

    lines = [
        f"- **{plain(names[e.key])}**: " + t(
            f"compare.excluded.{e.reason}", bank=plain(title(e.bank_id)),
            version=plain(e.version), expected=plain(title(e.expected_bank or e.bank_id)),
            expected_version=plain(e.expected_version))
        for e in excluded
    ]
    st.warning(t("compare.excluded_title", count=len(excluded)) + "\n\n" + "\n".join(lines))


# --- reading saved assessments in bulk ------------------------------------------------------------

@st.cache_resource(show_spinner=False)
def _snapshots() -> SavedSnapshots:
    return SavedSnapshots()


# --- over time ---------------------------------------------------------------------------------

def _over_time(snaps: list[Snapshot], bank: Bank, lang: str) -> None:
    groups = units(snaps)
    options = [json.dumps(list(k)) for k in groups]
    first = {json.dumps(list(k)): g for k, g in groups.items()}
    # The label holds no count of assessments: Streamlit keeps showing an option's old label
    # when only the label changes (the picks change, the unit stays).
    chosen = st.selectbox(
        t("compare.time_unit"), options, key="cmp_unit",
        format_func=lambda o: first[o][0].unit_name,
    )
    series = first.get(chosen) or next(iter(groups.values()))
    if len(series) < 2:
        st.info(t("compare.time_need_two", name=plain(series[0].unit_name)))
        return
    tag = hashlib.sha1(chosen.encode("utf-8")).hexdigest()[:12]
    labels = date_names(series)

    st.header(t("compare.trend_title"))
    st.caption(t("compare.trend_help"))
    chart, rows = trend_view(timeline(series, bank), bank, labels, lang)
    chart_block("trend", chart, rows, key_prefix="cmp_", title=t("compare.trend_title"))

    st.header(t("compare.radar_title"))
    newest_first = list(reversed(series))
    picked = st.multiselect(
        t("compare.radar_dates"), [s.key for s in newest_first],
        default=[s.key for s in newest_first[:MAX_RADAR_DATES]], format_func=labels.get,
        max_selections=MAX_RADAR_DATES, key=f"cmp_radar|{tag}",
        placeholder=t("compare.radar_placeholder"),
    )
    if picked:
        shown = [s for s in newest_first if s.key in picked]
        chart, rows = radar_time_view(shown, bank, labels, lang)
        chart_block("radar", chart, rows, key_prefix="cmp_", title=t("compare.radar_title"))
    else:
        st.caption(t("compare.radar_none"))

    st.header(t("compare.step_title"))
    pairs = list(range(len(series) - 1))[::-1]  # the latest change first
    index = st.selectbox(
        t("compare.step_choose"), pairs, key=f"cmp_step|{tag}",
        format_func=lambda i: t("compare.step_option", before=labels[series[i].key],
                                after=labels[series[i + 1].key]),
    )
    change = step(series[index], series[index + 1], bank)
    counts = change.counts()
    st.caption(t("compare.counts", improved=counts["improved"], unchanged=counts["unchanged"],
                 worsened=counts["worsened"], none=counts[None]))
    st.markdown(f"**{t('compare.areas_change_title')}**")
    st.dataframe(step_area_rows(change, bank, labels, lang), hide_index=True, width="stretch")

    st.markdown(f"**{t('compare.actions_title')}**")
    st.caption(t("compare.actions_help"))
    done = [(a.id, a.actions) for a in change.areas if a.actions]
    if not done:
        st.caption(t("compare.no_actions"))
    for area_id, items in done:
        lines = "\n".join(f"- {plain(action_text(x, lang))}" for x in items)
        st.markdown(f"**{area_id} {plain(bank.area(area_id).name.get(lang))}**\n\n{lines}")

    st.markdown(f"**{t('compare.questions_change_title')}**")
    only_changed = st.toggle(t("compare.only_changed"), value=True, key="cmp_only_changed")
    question_rows = step_question_rows(change, bank, labels, lang, only_changed)
    if question_rows:
        st.dataframe(question_rows, hide_index=True, width="stretch")
    else:
        st.caption(t("compare.no_changed_questions"))


# --- across units ------------------------------------------------------------------------------

def _across_units(snaps: list[Snapshot], bank: Bank, lang: str) -> None:
    latest = latest_per_unit(snaps)
    if len(latest) < 2:
        st.info(t("compare.units_need_two"))
        return
    names = unit_names(latest)
    st.caption(t("compare.units_caption", count=len(latest),
                 first=min(s.date for s in latest).isoformat(),
                 last=max(s.date for s in latest).isoformat()))
    order = st.segmented_control(
        t("compare.units_sort"), ["name", "overall"], default="name", key="cmp_sort",
        format_func=lambda o: t(f"compare.sort_{o}"),
    ) or "name"
    ordered = latest if order == "name" else sorted(
        latest, key=lambda s: (s.overall is None, s.overall or 0.0, names[s.key]))

    st.header(t("compare.heatmap_title"))
    chart, rows = unit_heatmap_view(ordered, bank, names, lang)
    chart_block("units", chart, rows, key_prefix="cmp_", title=t("compare.heatmap_title"))

    st.header(t("compare.spread_title"))
    st.caption(t("compare.spread_help"))
    st.dataframe(spread_rows(spread(latest, bank), bank, names, lang), hide_index=True,
                 width="stretch")

    st.header(t("compare.below_title"))
    st.caption(t("compare.below_help"))
    below = below_target_rows(furthest_below_target(latest, bank), bank, names, lang)
    if below:
        st.dataframe(below, hide_index=True, width="stretch")
    else:
        st.caption(t("compare.none_below"))


# --- against the national survey -----------------------------------------------------------------

def _against_national(snaps: list[Snapshot], bank: Bank, lang: str) -> None:
    if not has_reference(bank):
        st.info(t("compare.national_none", bank=plain(bank.title.get(lang))))
        return
    latest = latest_per_unit(snaps)
    names = unit_names(latest)
    items = national(latest, bank)
    reference = next(i.reference for i in items)
    st.caption(t("compare.national_help", n=reference.n, year=reference.year))
    if len(latest) == 1:
        only = latest[0]
        st.header(t("compare.national_single_title", name=plain(names[only.key])))
        chart, rows = national_view(items, bank, t("compare.series_answers"), lang)
        chart_block("national", chart, rows, key_prefix="cmp_",
                    title=t("compare.national_single_title", name=names[only.key]))
        return
    st.header(t("compare.national_rollup_title", count=len(latest)))
    st.caption(t("compare.national_rollup_help"))
    chart, rows = national_view(items, bank, t("compare.series_rollup", count=len(latest)), lang)
    chart_block("national", chart, rows, key_prefix="cmp_",
                title=t("compare.national_rollup_title", count=len(latest)))
    st.header(t("compare.national_one_title"))
    position = st.selectbox(t("compare.national_pick"), range(len(latest)), key="cmp_national_org",
                            format_func=lambda i: names[latest[i].key])
    st.dataframe(national_single_rows(items, bank, lang, position), hide_index=True,
                 width="stretch")


# --- charts ------------------------------------------------------------------------------------
