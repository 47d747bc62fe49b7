"""A chart as the pages show it: the chart, PNG and SVG downloads made only when clicked,
and its numbers as a table (so the meaning never rests on the picture alone). The chart's
accessible name (``alt``, which Streamlit gives the chart's graphics document as its
aria-label) names it and points to that table (WCAG 1.1.1)."""

from __future__ import annotations

import streamlit as st

from app_pages.context import t
from charts.export import chart_png, chart_svg
from charts.table import Table


def chart_block(name: str, chart, table: Table, key_prefix: str = "", *, title: str) -> None:
    """Show ``chart`` (an Altair chart) named ``name`` (the download's file name), with
    ``table`` under it (its headers in the reader's language); ``title`` (plain text, the
    heading over it) goes into its text alternative; ``key_prefix`` keeps the widget keys of
    two pages apart."""
    # The specs are checked against the Vega-Lite schema in tests/test_charts.py; skipping
    # Altair's validation here saves about a third of Resultat's time.
    st.vega_lite_chart(chart.to_dict(validate=False), key=f"{key_prefix}chart_{name}",
                       alt=t("results.chart_alt", title=title))
    cols = st.columns([1, 1, 4])
    cols[0].download_button("PNG", data=lambda: chart_png(chart), file_name=f"{name}.png",
                            mime="image/png", key=f"{key_prefix}png_{name}", on_click="ignore",
                            icon="🖼️")
    cols[1].download_button("SVG", data=lambda: chart_svg(chart), file_name=f"{name}.svg",
                            mime="image/svg+xml", key=f"{key_prefix}svg_{name}",
                            on_click="ignore", icon="📐")
    with cols[2].expander(t("results.as_table")):
        st.dataframe(table, hide_index=True, width="stretch")
