"""Administration: workspaces and their members, for an administrator (with sign-in only).

The store checks every change (``WorkspaceDenied`` for anyone who is not an administrator);
the navigation shows the page to administrators only."""

from __future__ import annotations

import streamlit as st

from app_pages import context
from app_pages.context import t
from app_pages.markdown import plain
from assessment.document import unit_label
from assessment.storage import ROLES, StorageError
from assessment.storage.workspaces import kept_email


def render() -> None:
    st.title(t("admin.title"))
    st.caption(t("admin.intro"))
    store = context.store()
    try:
        workspaces = store.list_workspaces(managed=True)
    except StorageError as exc:
        st.error(context.refusal(exc))
        return
    with st.form("admin_new_workspace", clear_on_submit=True):
        st.text_input(t("admin.workspace_name"), max_chars=200, key="admin_workspace_name")
        st.form_submit_button(t("admin.create"), on_click=context.write, args=(
            "admin_new_workspace",
            lambda: store.create_workspace(st.session_state["admin_workspace_name"])))
        context.refused_once("admin_new_workspace")
    for workspace in workspaces:
        with st.expander(workspace.name, expanded=len(workspaces) == 1):
            _render_members(store, workspace)
    _render_move(store, workspaces)
    with st.form("admin_new_admin", clear_on_submit=True):
        email = st.text_input(t("admin.admin_email"), max_chars=320)
        if st.form_submit_button(t("admin.add_admin")) and _done(
                lambda: store.add_administrator(email)):
            st.success(t("admin.admin_added", email=plain(kept_email(email))))
    st.caption(t("admin.admins", emails=plain(", ".join(store.administrators()))))


def _render_members(store, workspace) -> None:
    members = store.members(workspace.id)
    if members:
        st.dataframe([{t("admin.email"): m.email, t("admin.role"): t(f"workspace.role_{m.role}")}
                      for m in members], hide_index=True, width="stretch")
    else:
        st.info(t("admin.no_members"))
    # The forms' and the button's writes run in their callbacks (context.write), with the
    # fields' values by their keys: the run the click starts lists the change (or the refusal).
    add, values = f"admin_add|{workspace.id}", st.session_state
    with st.form(add, clear_on_submit=True):
        st.text_input(t("admin.email"), max_chars=320, key=f"{add}|email")
        st.selectbox(t("admin.role"), ROLES, format_func=lambda r: t(f"workspace.role_{r}"),
                     key=f"{add}|role")
        st.form_submit_button(t("admin.add_member"), on_click=context.write, args=(
            add, lambda: store.add_member(workspace.id, values[f"{add}|email"],
                                          values[f"{add}|role"])))
        context.refused_once(add)
    if members:
        cols = st.columns([3, 1], vertical_alignment="bottom")
        who = f"admin_remove_who|{workspace.id}"
        cols[0].selectbox(t("admin.remove_who"), [m.email for m in members], key=who)
        cols[1].button(t("admin.remove"), key=f"admin_remove|{workspace.id}",
                       on_click=context.write, args=(
                           who, lambda: store.remove_member(workspace.id, values[who])))
        context.refused_once(who)


def _render_move(store, workspaces) -> None:
    """Move an assessment to another workspace, by the store's rule the command line uses
    (``python -m assessment workspace move``). An administrator sees assessments only where
    also a member, so those are the ones listed."""
    st.subheader(t("admin.move_title"))
    st.caption(t("admin.move_help"))
    try:
        summaries = store.list_assessments()
    except StorageError as exc:
        st.error(context.refusal(exc))
        return
    if not summaries:
        st.info(t("admin.move_none"))
        return
    names = {w.id: w.name for w in workspaces}
    shown = {s.id: f"{unit_label(s.org_name, s.unit)} · {s.date}" for s in summaries}
    labels = {s.id: f"{shown[s.id]} ({names.get(s.workspace_id, s.workspace_id)})"
              for s in summaries}
    with st.form("admin_move"):
        aid = st.selectbox(t("admin.move_which"), list(labels), format_func=labels.get,
                           key="admin_move_which")
        target = st.selectbox(t("admin.move_to"), list(names), format_func=names.get,
                              key="admin_move_to")
        moved = st.form_submit_button(t("admin.move"))
    if moved and _done(lambda: store.move_assessment(aid, target)):
        st.success(t("admin.moved", name=plain(shown[aid]),
                     workspace=plain(names[target])))


def _done(change) -> bool:
    """Run ``change``; False, with the store's reason in one line, if it was refused."""
    try:
        change()
    except StorageError as exc:
        st.error(t("common.refused", reason=context.refusal(exc)))
        return False
    return True
