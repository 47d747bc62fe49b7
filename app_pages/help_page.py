"""Hjälp: a short guide for the facilitator, and how scores are computed."""

from __future__ import annotations

import streamlit as st

from app_pages import context
from app_pages.context import t
from app_pages.markdown import plain
from scoring.compare import national_label


def render() -> None:
    st.title(t("help.title"))
    for section in ("before", "during", "after", "scale", "scoring", "privacy"):
        st.header(t(f"help.{section}_title"))
        text = t(f"help.{section}")
        if section == "after":
            text += "\n" + _follow_up()
        st.markdown(text)
        if section == "scale":
            _competence_targets()


def _follow_up() -> str:
    """How Jämför follows a unit up, and – when a bank has national reference values – what
    the national figure is (its year and n from the bank)."""
    lang = context.ui().lang
    text = t("help.follow_up")
    labelled = [bank for bank in context.banks().banks.values() if national_label(bank, lang)]
    for bank in labelled:
        text += "\n" + t("help.national", bank=plain(bank.title.get(lang)),
                         label=national_label(bank, lang))
    return text


def _competence_targets() -> None:
    """The national competence targets of the banks that list them, and the G3 questions
    that concern each (from the bank)."""
    lang = context.ui().lang
    for bank in context.banks().banks.values():
        if not bank.competence_targets:
            continue
        st.header(t("help.competence_title"))
        st.caption(t("help.competence_intro"))
        concern: dict[int, list[str]] = {}
        for _, q in bank.question_index().values():
            for n in q.competence_targets:
                concern.setdefault(n, []).append(q.id)
        st.markdown("\n".join(
            f"{target.number}. {plain(target.name.get(lang))}"
            + (f" – {', '.join(concern[target.number])}" if target.number in concern else "")
            for target in bank.competence_targets))
