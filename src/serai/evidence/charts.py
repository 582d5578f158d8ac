"""Figures as plain Plotly JSON (drawn in the browser by the plotly.js that the plotly package
ships, served locally), and the six-country choropleth as server-side SVG."""

from __future__ import annotations

import math

from serai.core import geo

PALETTE = ["#e8f1f8", "#b8d3e8", "#7fb0d6", "#3f84bf", "#145a96"]
LAYOUT = {
    "margin": {"l": 60, "r": 20, "t": 40, "b": 50},
    "height": 340,
    "legend": {"orientation": "h"},
    "font": {"family": "system-ui, sans-serif"},
    "paper_bgcolor": "rgba(0,0,0,0)",
    "plot_bgcolor": "rgba(0,0,0,0)",
}


def _number(v):
    """A value to draw, or None (a gap, "no data") for one that is missing or not finite."""
    if v is None:
        return None
    try:
        return v if math.isfinite(v) else None
    except TypeError:
        return v


def line(x: list, series: dict[str, list], title: str, ytitle: str = "") -> dict:
    return {
        "data": [
            {"type": "scatter", "mode": "lines+markers", "name": name, "x": x, "y": [_number(y) for y in ys]}
            for name, ys in series.items()
        ],
        "layout": LAYOUT | {"title": {"text": title}, "yaxis": {"title": {"text": ytitle}}, "xaxis": {"dtick": 1}},
    }


def bars(categories: list[str], series: dict[str, list], title: str, ytitle: str = "") -> dict:
    return {
        "data": [
            {"type": "bar", "name": name, "x": categories, "y": [_number(y) for y in ys]} for name, ys in series.items()
        ],
        "layout": LAYOUT
        | {
            "title": {"text": title},
            "barmode": "group",
            "yaxis": {"title": {"text": ytitle}},
            "height": 420,
            "margin": LAYOUT["margin"] | {"b": 130},
            "legend": {"orientation": "h", "y": 1.08},
        },
    }


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

    focus = [
        shape
        | {
            "fill": "#c0392b" if shape["id"] == anchor else colour(values.get(shape["id"])),
            "label": names.get(shape["id"], shape["name"]),
            "value": None
            if shape["id"] == anchor
            else (fmt(values[shape["id"]]) if values.get(shape["id"]) is not None else "–"),
        }
        for shape in svg["focus"]
    ]
    focus = _place_labels(focus, svg.get("width", 760), svg.get("height", 0))
    legend = (
        [{"fill": c, "from": fmt(lo + i * step), "to": fmt(lo + (i + 1) * step)} for i, c in enumerate(PALETTE)]
        if known
        else []
    )
    return svg | {"focus": focus, "legend": legend, "anchor": anchor}


# Country names on the map, laid out for the largest size the style sheet draws them at (on a
# phone: about 26 map units, 11–12 px at 375 px wide); smaller sizes keep the same places.
LABEL_SIZE = 26.0


def _text_width(text: str, size: float) -> float:
    """An estimate of a label's width in map units: Hangul and CJK are about one em wide, Latin and
    Cyrillic letters (semi-bold) about 0.68 em."""
    return sum(size * (1.0 if ord(ch) >= 0x1100 else 0.68) for ch in text)


def _place_labels(focus: list[dict], width: float, height: float, size: float = LABEL_SIZE) -> list[dict]:
    """Each country's label at its label point, moved up or down (with a leader line back to the
    point) where it would overlap a label already placed — larger countries first — and kept
    inside the map."""
    placed: list[tuple[float, float, float, float]] = []
    out = {}
    for shape in sorted(focus, key=lambda s: -len(s["d"])):
        if "label_xy" not in shape:
            continue
        ax, ay = shape["label_xy"]
        w, h = _text_width(shape["label"], size), size * 1.15
        x = min(max(ax, w / 2 + 2), width - w / 2 - 2)
        best = None
        for step in (0, 1, -1, 2, -2, 3, -3, 4, -4, 5, -5):
            y = min(max(ay + step * h, h), max(h, height - 4))
            box = (x - w / 2, y - size * 0.85, x + w / 2, y + size * 0.3)
            if not any(box[0] < b[2] and b[0] < box[2] and box[1] < b[3] and b[1] < box[3] for b in placed):
                best = (y, box)
                break
        y, box = best or (ay, (x - w / 2, ay - size * 0.85, x + w / 2, ay + size * 0.3))
        placed.append(box)
        moved = abs(y - ay) > 1 or abs(x - ax) > w / 2
        # coordinates as text: a template would write 176,0 in Russian, which SVG reads as two numbers
        out[shape["id"]] = {
            "label_x": f"{x:.1f}",
            "label_y": f"{y:.1f}",
            "leader": tuple(f"{v:.1f}" for v in (ax, ay, x, y - size * 0.85 if y > ay else y + size * 0.3))
            if moved
            else None,
        }
    return [shape | out.get(shape["id"], {}) for shape in focus]
