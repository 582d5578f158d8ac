"""Plotly's mode bar speaks the page's language (issue 14, item 10): the server gives plotly.js
its words from the catalogs, and charts.js registers them before drawing."""

import re
from pathlib import Path

import pytest
from django.utils import translation

import serai
from serai.core.views import PLOTLY_STRINGS


def _plotly_js():
    import importlib.util

    spec = importlib.util.find_spec("plotly")
    return Path(spec.origin).parent / "package_data" / "plotly.min.js" if spec else None


@pytest.mark.django_db
def test_the_mode_bar_words_come_in_the_language_of_the_url(client):
    data = client.get("/ru/charts/locale.json").json()
    assert data["name"] == "ru"
    with translation.override("ru"):
        assert data["dictionary"] == {key: str(text) for key, text in PLOTLY_STRINGS.items()}
    assert data["dictionary"]["Zoom in"] != "" and set(data["dictionary"]) >= {"Zoom", "Pan", "Autoscale", "Reset axes"}


def test_the_keys_are_plotlys_own_words():
    path = _plotly_js()
    if path is None or not path.exists():
        pytest.skip("plotly.js is not installed here")
    text = path.read_text(encoding="utf-8", errors="replace")
    missing = [key for key in PLOTLY_STRINGS if f'"{key}"' not in text]
    assert missing == []


def test_charts_js_registers_the_locale_before_drawing():
    js = (Path(serai.__file__).parent / "core/static/serai/charts.js").read_text(encoding="utf-8")
    assert "/charts/locale.json" in js and re.search(r"Plotly\.register\(\{moduleType: \"locale\"", js)
    assert "config.locale = locale.name" in js
