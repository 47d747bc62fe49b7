"""Shared chart style: a colour-blind-safe palette (Okabe–Ito) and, for every series, a dash
pattern and a point shape so that no chart relies on colour alone."""

SERIES_STYLE = {
    "current": {"color": "#0072B2", "dash": [1, 0], "shape": "circle"},
    "target": {"color": "#D55E00", "dash": [6, 4], "shape": "square"},
    "previous": {"color": "#009E73", "dash": [2, 3], "shape": "triangle-up"},
    "extra1": {"color": "#CC79A7", "dash": [8, 2, 2, 2], "shape": "diamond"},
    "extra2": {"color": "#E69F00", "dash": [1, 3], "shape": "cross"},
}

# Sequential scale for levels 0..top, readable in grey scale too.
LEVEL_SCHEME = "blues"


def drawn(layer, has_marks: bool) -> list:
    """``[layer]`` when it has marks to draw, else ``[]``: a mark layer without any draws an
    empty group that screen readers are told is a graphic without a name (axe-core's
    svg-img-alt), so such a layer is left out of the chart."""
    return [layer] if has_marks else []
