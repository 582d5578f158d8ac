"""One percent filter (issue 18: core's and evidence's differed in decimals and in what no value shows)."""

from pathlib import Path

from django.template import Context, Template
from django.utils import translation

from serai.core.templatetags.serai_tags import percent

SRC = Path(__file__).resolve().parents[2]


def test_percent_takes_its_decimals_and_the_language_format():
    assert percent(0.1234) == "12 %"
    assert percent(0.1234, 1) == "12.3 %"
    assert percent(None) == percent("") == "–"
    with translation.override("ru"):
        assert percent(0.1234, 1) == "12,3 %"
    assert Template("{% load serai_tags %}{{ v|percent:1 }}").render(Context({"v": 0.5})) == "50.0 %"


def test_there_is_one_percent_filter():
    defined = [p for p in SRC.rglob("templatetags/*.py") if "def percent(" in p.read_text(encoding="utf-8")]
    assert [p.relative_to(SRC).as_posix() for p in defined] == ["core/templatetags/serai_tags.py"]
