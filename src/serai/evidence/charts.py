"""Figures as plain Plotly JSON (drawn in the browser by the plotly.js that the plotly package
ships, served locally), and the six-country choropleth as server-side SVG."""

from __future__ import annotations

import math

from serai.core import geo

PALETTE = ["#e8f1f8", "#b8d3e8", "#7fb0d6", "#3f84bf", "#145a96"]
LAYOUT = {"margin": {"l": 60, "r": 20, "t": 40, "b": 50}, "height": 340, "legend": {"orientation": "h"},
          "font": {"family": "system-ui, sans-serif"}, "paper_bgcolor": "rgba(0,0,0,0)", "plot_bgcolor": "rgba(0,0,0,0)"}


def _number(v):
    """A value to draw, or None (a gap, "no data") for one that is missing or not finite."""
    if v is None:
        return None
    try:
        return v if math.isfinite(v) else None
    except TypeError:
        return v


def line(x: list, series: dict[str, list], title: str, ytitle: str = "") -> dict:
    return {"data": [{"type": "scatter", "mode": "lines+markers", "name": name, "x": x, "y": [_number(y) for y in ys]}
                     for name, ys in series.items()],
            "layout": LAYOUT | {"title": {"text": title}, "yaxis": {"title": {"text": ytitle}}, "xaxis": {"dtick": 1}}}


def bars(categories: list[str], series: dict[str, list], title: str, ytitle: str = "") -> dict:
    return {"data": [{"type": "bar", "name": name, "x": categories, "y": [_number(y) for y in ys]}
                     for name, ys in series.items()],
            "layout": LAYOUT | {"title": {"text": title}, "barmode": "group", "yaxis": {"title": {"text": ytitle}},
                                "height": 420, "margin": LAYOUT["margin"] | {"b": 130}, "legend": {"orientation": "h", "y": 1.08}}}


def choropleth(values: dict[str, float | None], names: dict[str, str], anchor: str | None, fmt) -> dict:
    """Shapes of the countries keyed by ISO numeric, coloured in five equal steps of ``values``;
    ``anchor`` (Korea) is drawn in its own colour. ``fmt`` formats a value for titles and legend."""
    values = {k: _number(v) for k, v in values.items()}
    ids = {*values, *([anchor] if anchor else [])}
    svg = geo.svg_paths(ids)
    known = [v for v in values.values() if v is not None]
    lo, hi = (min(known), max(known)) if known else (0.0, 0.0)
    step = (hi - lo) / len(PALETTE) or 1.0

    def colour(v):
        if v is None:
            return "#dddddd"
        return PALETTE[min(len(PALETTE) - 1, int((v - lo) / step))]

    focus = [shape | {
        "fill": "#c0392b" if shape["id"] == anchor else colour(values.get(shape["id"])),
        "label": names.get(shape["id"], shape["name"]),
        "value": None if shape["id"] == anchor else (fmt(values[shape["id"]]) if values.get(shape["id"]) is not None else "–"),
    } for shape in svg["focus"]]
    legend = [{"fill": c, "from": fmt(lo + i * step), "to": fmt(lo + (i + 1) * step)} for i, c in enumerate(PALETTE)] if known else []
    return svg | {"focus": focus, "legend": legend, "anchor": anchor}
