"""Vector charts for printed reports: SVG strings drawn by matplotlib without a browser.

Each function returns a complete ``<svg>`` element (no XML declaration, no DOCTYPE) that can be
placed inline in an HTML template rendered by WeasyPrint (``{{ svg|safe }}``: the markup is
ours, every label is escaped by matplotlib's SVG writer).

- No pyplot: a ``Figure`` is drawn on its own SVG canvas, so charts can be drawn in a
  background thread; rcParams are global, so drawing is serialised by a lock.
- Labels are laid out with Noto Sans CJK (Hangul, Cyrillic and Latin) and kept as ``<text>``
  naming that font, so WeasyPrint draws them with the same embedded font as the page (half the
  layout time of glyph outlines, and the labels stay searchable); ``text_as_paths=True`` draws
  glyph outlines instead, for an SVG shown outside a PDF on a machine without the font.
- Element ids are prefixed with a hash of the chart, so several charts inline in one document
  never share an id (matplotlib numbers them from 1 in every figure).
- Output is deterministic: a fixed ``svg.hashsalt`` (element ids) and no date in the metadata,
  so the same data gives byte-identical SVG (reports are fingerprinted and compared).
- A missing or non-finite value is a gap ("no data"), never a zero.
"""

from __future__ import annotations

import hashlib
import io
import math
import re
import threading
from collections.abc import Sequence

import matplotlib

matplotlib.use("Agg", force=False)

from matplotlib import rc_context  # noqa: E402
from matplotlib.backends.backend_svg import FigureCanvasSVG  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.ticker import FuncFormatter  # noqa: E402

FONT_FAMILY = ["Noto Sans CJK KR", "Noto Sans CJK JP", "DejaVu Sans"]
PALETTE = ["#145a96", "#e0802b", "#3f9d5a", "#c23b3b", "#7d5ba6", "#8c6d46", "#d36fb1", "#7f7f7f", "#b5b83b", "#2bb1c2"]
HASHSALT = "serai-reports"

_LOCK = threading.Lock()

_RC = {
    "svg.hashsalt": HASHSALT,
    "svg.fonttype": "path",
    "font.family": "sans-serif",
    "font.sans-serif": FONT_FAMILY,
    "font.size": 8,
    "axes.titlesize": 9,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.unicode_minus": False,
    "axes.prop_cycle": matplotlib.cycler(color=PALETTE),
    "legend.frameon": False,
    "legend.fontsize": 7,
    "path.simplify": True,
}


def _number(v) -> float:
    """A value to draw; NaN (matplotlib leaves a gap) for one that is missing or not finite."""
    if v is None:
        return math.nan
    try:
        v = float(v)
    except (TypeError, ValueError):
        return math.nan
    return v if math.isfinite(v) else math.nan


def compact(v: float) -> str:
    """Tick labels: 1.2k, 3.4M, 5.6B (language-neutral)."""
    a = abs(v)
    for limit, suffix in ((1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "k")):
        if a >= limit:
            return f"{v / limit:.3g}{suffix}"
    return f"{v:.3g}" if v else "0"


def _render(draw, *, width: float, height: float, text_as_paths: bool) -> str:
    rc = dict(_RC)
    if not text_as_paths:
        rc["svg.fonttype"] = "none"
    with _LOCK, rc_context(rc):
        figure = Figure(figsize=(width, height), dpi=72)
        FigureCanvasSVG(figure)
        axes = figure.add_subplot()
        draw(figure, axes)
        figure.tight_layout(pad=0.4)
        out = io.StringIO()
        figure.savefig(out, format="svg", metadata={"Date": None, "Creator": None}, transparent=True)
    svg = out.getvalue()
    start = svg.find("<svg")
    svg = svg[start:].strip() if start >= 0 else svg
    return _unique_ids(svg)


_ID = re.compile(r'\bid="([^"]+)"')


def _unique_ids(svg: str) -> str:
    """Prefix every id (and every reference to one) with a hash of the chart itself."""
    prefix = "c" + hashlib.sha256(svg.encode()).hexdigest()[:10] + "-"
    ids = set(_ID.findall(svg))
    if not ids:
        return svg
    pattern = re.compile(
        r'(\bid="|#)(' + "|".join(re.escape(i) for i in sorted(ids, key=len, reverse=True)) + r')(?=["\)])'
    )
    return pattern.sub(lambda m: m.group(1) + prefix + m.group(2), svg)


def _finish(axes, title: str, ytitle: str, legend: bool) -> None:
    if title:
        axes.set_title(title, loc="left")
    if ytitle:
        axes.set_ylabel(ytitle)
    axes.yaxis.set_major_formatter(FuncFormatter(lambda v, _pos: compact(v)))
    axes.grid(axis="y", linewidth=0.3, color="#cccccc")
    axes.set_axisbelow(True)
    if legend:
        axes.legend(loc="upper left", bbox_to_anchor=(0, -0.18), ncols=3)


def _rotate(axes, categories: Sequence[str]) -> None:
    if len(categories) > 6 or max((len(str(c)) for c in categories), default=0) > 10:
        for label in axes.get_xticklabels():
            label.set_rotation(35)
            label.set_horizontalalignment("right")


def bar(
    categories: Sequence[str],
    series: dict[str, Sequence],
    *,
    title: str = "",
    ytitle: str = "",
    width: float = 6.5,
    height: float = 3.0,
    horizontal: bool = False,
    text_as_paths: bool = False,
) -> str:
    """Grouped bars: one group per category, one bar per series."""
    categories = [str(c) for c in categories]
    names = list(series)

    def draw(_figure, axes):
        n = max(len(names), 1)
        step = 0.8 / n
        positions = range(len(categories))
        for index, name in enumerate(names):
            values = [_number(v) for v in series[name]]
            offsets = [p - 0.4 + step * (index + 0.5) for p in positions]
            if horizontal:
                axes.barh(offsets, values, height=step, label=name)
            else:
                axes.bar(offsets, values, width=step, label=name)
        if horizontal:
            axes.set_yticks(list(positions), categories)
            axes.invert_yaxis()
            axes.xaxis.set_major_formatter(FuncFormatter(lambda v, _pos: compact(v)))
            axes.grid(axis="x", linewidth=0.3, color="#cccccc")
            axes.set_axisbelow(True)
            if title:
                axes.set_title(title, loc="left")
            if len(names) > 1:
                axes.legend(loc="lower right")
        else:
            axes.set_xticks(list(positions), categories)
            _rotate(axes, categories)
            _finish(axes, title, ytitle, len(names) > 1)

    return _render(draw, width=width, height=height, text_as_paths=text_as_paths)


def stacked_bar(
    categories: Sequence[str],
    series: dict[str, Sequence],
    *,
    title: str = "",
    ytitle: str = "",
    width: float = 6.5,
    height: float = 3.2,
    text_as_paths: bool = False,
) -> str:
    """Stacked bars: one bar per category, one segment per series (a missing value adds nothing)."""
    categories = [str(c) for c in categories]

    def draw(_figure, axes):
        bottoms = [0.0] * len(categories)
        positions = list(range(len(categories)))
        for name, values in series.items():
            heights = [_number(v) for v in values]
            drawn = [0.0 if math.isnan(h) else h for h in heights]
            axes.bar(positions, drawn, bottom=bottoms, width=0.7, label=name)
            bottoms = [b + h for b, h in zip(bottoms, drawn)]
        axes.set_xticks(positions, categories)
        _rotate(axes, categories)
        _finish(axes, title, ytitle, len(series) > 0)

    return _render(draw, width=width, height=height, text_as_paths=text_as_paths)


def line(
    x: Sequence,
    series: dict[str, Sequence],
    *,
    title: str = "",
    ytitle: str = "",
    width: float = 6.5,
    height: float = 2.8,
    text_as_paths: bool = False,
) -> str:
    """Lines with markers over ``x`` (years, sessions); a missing value is a gap in the line."""
    x = list(x)
    labels = [str(v) for v in x]

    def draw(_figure, axes):
        positions = list(range(len(x)))
        for name, values in series.items():
            axes.plot(positions, [_number(v) for v in values], marker="o", markersize=3, linewidth=1.2, label=name)
        axes.set_xticks(positions, labels)
        _rotate(axes, labels)
        _finish(axes, title, ytitle, len(series) > 1)

    return _render(draw, width=width, height=height, text_as_paths=text_as_paths)
