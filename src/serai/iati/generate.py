"""Realistic synthetic IATI 2.03 activity files, for tests and benchmarks (no real Central Asian
activity files are available here). Codes come from the official codelists when they are
available; publisher identifiers follow the real formats (XM-DAC-…, GB-GOV-…, KR-GOV-…).
Every activity says it is synthetic in its title."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

from lxml import etree

from . import codelists

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
MEMBERS = ("KZ", "UZ", "TM", "KG", "TJ")
PUBLISHERS = [
    ("XM-DAC-41114", "40", "United Nations Development Programme"),
    ("XM-DAC-46004", "40", "Asian Development Bank"),
    ("XM-DAC-44000", "40", "World Bank"),
    ("XM-DAC-41122", "40", "UNICEF"),
    ("GB-GOV-1", "10", "UK Foreign, Commonwealth and Development Office"),
    ("DE-1", "10", "German Federal Ministry for Economic Cooperation and Development"),
    ("KR-GOV-010", "10", "Korea International Cooperation Agency"),
    ("US-GOV-1", "10", "U.S. Agency for International Development"),
    ("CH-4", "10", "Swiss Agency for Development and Cooperation"),
    ("XI-IATI-EC_INTPA", "15", "European Commission - International Partnerships"),
]
CURRENCIES = ("USD", "EUR", "GBP", "JPY", "KRW", "CHF")
WORDS = (
    "water",
    "energy",
    "health",
    "education",
    "transport",
    "resilience",
    "climate",
    "agriculture",
    "digital",
    "governance",
    "trade",
    "skills",
    "rural",
    "urban",
    "women",
    "youth",
    "border",
    "irrigation",
    "solar",
    "schools",
)
FALLBACK_SECTORS = ("11220", "12220", "14030", "15110", "21020", "23210", "25010", "31120", "41010", "43040")
FALLBACK_COUNTRIES = ("AF", "BD", "ET", "GH", "IN", "KE", "MN", "NP", "PK", "VN")


def _lists() -> tuple[list[str], list[str]]:
    sectors = sorted(codelists.codes("Sector") or FALLBACK_SECTORS)
    countries = sorted((codelists.codes("Country") or set(FALLBACK_COUNTRIES)) - set(MEMBERS) - {"KR"})
    return sectors, countries


def _n(parent, tag, text=None, **attrs):
    el = etree.SubElement(parent, tag, {k.replace("_", "-"): str(v) for k, v in attrs.items() if v is not None})
    if text is not None:
        etree.SubElement(el, "narrative").text = text
    return el


def activity(rng: random.Random, n: int, in_members: bool, sectors: list[str], countries: list[str]) -> etree._Element:
    ref, org_type, org_name = rng.choice(PUBLISHERS)
    currency = rng.choice(CURRENCIES)
    start = dt.date(2015, 1, 1) + dt.timedelta(days=rng.randrange(3000))
    end = start + dt.timedelta(days=rng.randrange(365, 2200))
    topic = " ".join(rng.sample(WORDS, 3))
    el = etree.Element(
        "iati-activity",
        {"last-updated-datetime": f"{end.year}-01-15T09:00:00Z", XML_LANG: "en", "default-currency": currency},
    )
    etree.SubElement(el, "iati-identifier").text = f"{ref}-SYN-{n:07d}"
    _n(el, "reporting-org", org_name, ref=ref, type=org_type)
    title = _n(el, "title", f"[synthetic] {topic.capitalize()} programme {n}")
    if rng.random() < 0.4:
        etree.SubElement(title, "narrative", {XML_LANG: "ru"}).text = f"[синтетический] Программа {n}: {topic}"
    desc = _n(el, "description", " ".join(rng.choice(WORDS) for _ in range(rng.randrange(120, 260))), type="1")
    if rng.random() < 0.3:
        etree.SubElement(desc, "narrative", {XML_LANG: "ru"}).text = "Описание программы. " * rng.randrange(5, 30)
    _n(el, "participating-org", org_name, ref=ref, type=org_type, role="1")
    _n(
        el,
        "participating-org",
        f"Implementing partner {rng.randrange(500)}",
        role="4",
        type=rng.choice(("21", "22", "80", "10")),
    )
    _n(el, "activity-status", None, code=rng.choice("12234"))
    _n(el, "activity-date", None, type="1", iso_date=start.isoformat())
    _n(el, "activity-date", None, type="3", iso_date=end.isoformat())
    if start < dt.date(2024, 1, 1):
        _n(el, "activity-date", None, type="2", iso_date=start.isoformat())
    if in_members:
        picked = rng.sample(MEMBERS, rng.choice((1, 1, 1, 2, 3)))
        if rng.random() < 0.15:
            _n(el, "recipient-region", None, code="619", vocabulary="1", percentage="100")
        else:
            shares = _shares(rng, len(picked))
            for code, pct in zip(picked, shares):
                _n(el, "recipient-country", None, code=code, percentage=pct)
    else:
        _n(el, "recipient-country", None, code=rng.choice(countries), percentage="100")
    for code, pct in zip(rng.sample(sectors, 2), _shares(rng, 2)):
        _n(el, "sector", None, vocabulary="1", code=code, percentage=pct)
    amount = round(rng.lognormvariate(13, 1.4), 2)
    for year in range(start.year, min(end.year, start.year + 3) + 1):
        b = _n(el, "budget", None, type="1", status="2")
        _n(b, "period-start", None, iso_date=f"{year}-01-01")
        _n(b, "period-end", None, iso_date=f"{year}-12-31")
        etree.SubElement(b, "value", {"currency": currency, "value-date": f"{year}-01-01"}).text = f"{amount / 3:.2f}"
    for t in range(rng.randrange(2, 9)):
        tr = etree.SubElement(el, "transaction")
        _n(tr, "transaction-type", None, code="2" if t == 0 else "3")
        day = start + dt.timedelta(days=30 * t)
        _n(tr, "transaction-date", None, iso_date=day.isoformat())
        etree.SubElement(tr, "value", {"currency": currency, "value-date": day.isoformat()}).text = f"{amount / 10:.2f}"
    return el


def _shares(rng: random.Random, k: int) -> list[str]:
    if k == 1:
        return ["100"]
    cuts = sorted(rng.sample(range(5, 96), k - 1))
    parts = [b - a for a, b in zip([0, *cuts], [*cuts, 100])]
    return [str(p) for p in parts]


def generate(path: Path | str, activities: int = 1000, *, member_share: float = 0.2, seed: int = 7) -> Path:
    """Write an <iati-activities version="2.03"> file, streaming (any size)."""
    path = Path(path)
    rng = random.Random(seed)
    sectors, countries = _lists()
    with etree.xmlfile(str(path), encoding="utf-8") as xf:
        xf.write_declaration()
        with xf.element("iati-activities", {"version": "2.03", "generated-datetime": "2026-11-28T00:00:00Z"}):
            for n in range(activities):
                xf.write(activity(rng, n, rng.random() < member_share, sectors, countries), pretty_print=True)
    return path
