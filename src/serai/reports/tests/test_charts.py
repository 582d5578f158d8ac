"""Printed-report charts: SVG from matplotlib, deterministic, every script's glyphs present."""

import warnings

from serai.reports import charts

LABELS = ["Казахстан", "대한민국", "Uzbekistan"]


def test_bar_is_deterministic_svg_without_date():
    series = {"2022": [1e6, 2e6, None], "2023": [1.5e6, 3e6, 4e5]}
    first = charts.bar(LABELS, series, title="Экспорт · 수출")
    second = charts.bar(LABELS, series, title="Экспорт · 수출")
    assert first == second
    assert first.startswith("<svg") and first.rstrip().endswith("</svg>")
    assert "<dc:date>" not in first
    assert "<?xml" not in first and "DOCTYPE" not in first


def test_korean_and_cyrillic_labels_have_glyphs():
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # matplotlib warns "Glyph ... missing from font(s)"
        svg = charts.stacked_bar(LABELS, {"идея": [1, 2, 3], "제안": [3, None, 1]}, title="파이프라인")
    assert "<path" in svg


def test_text_kept_as_text_when_asked():
    svg = charts.line([2020, 2021, 2022], {"KAZ": [1, None, 3]}, title="Торговля", text_as_paths=False)
    assert "Торговля" in svg


def test_different_data_gives_different_svg():
    assert charts.bar(["a"], {"x": [1]}) != charts.bar(["a"], {"x": [2]})


def test_compact_numbers():
    assert charts.compact(1_500_000) == "1.5M"
    assert charts.compact(0) == "0"
    assert charts.compact(2_000_000_000) == "2B"


def test_two_charts_in_one_document_share_no_id():
    import re

    ids = [set(re.findall(r'\bid="([^"]+)"', charts.bar(["a"], {"x": [v]}))) for v in (1, 2)]
    assert ids[0] and ids[1] and not ids[0] & ids[1]


def test_outlines_when_asked():
    svg = charts.bar(["대한민국"], {"x": [1]}, title="Торговля", text_as_paths=True)
    assert "Торговля" not in svg.replace("<!-- Торговля -->", "") and "<path" in svg
