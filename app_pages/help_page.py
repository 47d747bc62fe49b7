"""Hjälp: a short guide for the facilitator, and how scores are computed."""

from __future__ import annotations

import streamlit as st

from app_pages.context import t


def render() -> None:
    st.title(t("help.title"))
    for section in ("before", "during", "after", "scoring", "privacy"):
        st.subheader(t(f"help.{section}_title"))
        st.markdown(t(f"help.{section}"))
