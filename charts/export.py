"""Chart images for download: PNG and SVG rendered by vl-convert from the Vega-Lite spec."""

from __future__ import annotations

import altair as alt
import vl_convert as vlc


def chart_png(chart: alt.TopLevelMixin, scale: float = 2.0) -> bytes:
    return vlc.vegalite_to_png(chart.to_dict(), scale=scale)


def chart_svg(chart: alt.TopLevelMixin) -> str:
    return vlc.vegalite_to_svg(chart.to_dict())
