"""Money is written in each language's own conventions (issue 14, item 5): never "$5.4 bn" on a
Korean or Russian page."""

import pytest
from django.template import Context, Template
from django.utils import translation

from serai.core.templatetags.serai_tags import format_money


@pytest.mark.parametrize(
    ("lang", "amount", "unit", "expected"),
    [
        ("en", 5.4e9, "USD", "$5.4 bn"),
        ("ko", 5.4e9, "USD", "54억 달러"),
        ("ru", 5.4e9, "USD", "5,4 млрд долл. США"),
        ("en", 5.4e6, "kUSD", "$5.4 bn"),  # thousand USD, BACI's unit
        ("ko", 5.4e6, "kUSD", "54억 달러"),
        ("ru", 5.4e6, "kUSD", "5,4 млрд долл. США"),
        ("ko", 1.26e12, "USD", "1.3조 달러"),
        ("ko", 35_000_000, "USD", "3,500만 달러"),
        ("ko", 9_500, "USD", "9,500 달러"),
        ("ru", 12_300_000, "USD", "12,3 млн долл. США"),
        ("ru", 1_234_000_000_000, "USD", "1,2 трлн долл. США"),
        ("ru", 2_500, "USD", "2,5 тыс. долл. США"),
        ("ru", 950, "USD", "950 долл. США"),
        ("en", 999_960_000, "USD", "$1 bn"),  # rounding up moves to the next unit, not "$1,000.0 m"
        ("en", 123_400_000_000, "USD", "$123 bn"),
        ("en", -2.5e6, "USD", "−$2.5 m"),
        ("en", None, "USD", "–"),
        ("ru", float("nan"), "USD", "–"),
    ],
)
def test_format_money(lang, amount, unit, expected):
    assert format_money(amount, unit, lang) == expected


@pytest.mark.parametrize(("lang", "expected"), [("en", "$5.4 bn"), ("ko", "54억 달러"), ("ru", "5,4 млрд долл. США")])
def test_money_filter_follows_the_active_language(lang, expected):
    with translation.override(lang):
        out = Template('{% load serai_tags %}{{ v|money:"kUSD" }}').render(Context({"v": 5_400_000}))
    assert out == expected
