"""Every query parameter a page, export or the API reads is validated: an odd value (a superscript
or circled digit, a 20-digit year, an unknown choice, a page that is not a number) answers 400
naming the parameter — never 500 — and good values still answer 200 (issue 13, item 7)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from urllib.parse import quote

import pytest

from serai.access.models import Role
from serai.core.i18n import TranslatedText
from serai.core.testing import body as body_of

# Values that broke the pages (int("¹") and int("①") raise although str.isdigit() is true; a
# 20-digit year overflows the database's integer) and other values no parameter accepts.
ODD_INTS = ["¹", "①", "٣", "99999999999999999999", "-1", "1e3", "0x10", " ", "1.5"]
LONG = "x" * 300
ODD = "year=%C2%B9&unknown=%E2%91%A0"  # parameters a page does not read are ignored

PROJECT_BAD = [("year", v) for v in ODD_INTS] + [
    ("sort", "zzz"),
    ("status", "zzz"),
    ("scope", "zzz"),
    ("helix", "zzz"),
    ("country", "KAZAK"),
    ("country", "1"),
    ("field", LONG),
    ("subcommittee", "a b"),
    ("q", LONG),
    ("q", "\x00"),
]
PROJECT_GOOD = [
    "",
    "year=2026",
    "year=2026&sort=-budget&status=endorsed&scope=bilateral&country=kz",
    "q=water&field=energy&subcommittee=economy&helix=research",
    "sort=title&country=&year=",
]
PAGE_BAD = [("page", v) for v in ["x", "0", "¹", "①", "99999999999999999999", "-2"]]

# (url, bad (param, value) pairs, good query strings); anonymous visitors
PUBLIC = [
    ("/en/projects/", PROJECT_BAD + PAGE_BAD, PROJECT_GOOD + ["page=1", "page=999"]),
    ("/ru/projects/export.csv", PROJECT_BAD, PROJECT_GOOD),
    ("/en/projects/export.xlsx", PROJECT_BAD, PROJECT_GOOD[:2]),
    ("/api/v1/projects/", PROJECT_BAD + PAGE_BAD, PROJECT_GOOD + ["page=1"]),
    ("/en/", [("map", "zzz"), ("map", "①")], ["", "map=budget", "map=projects"]),
    ("/en/search/", [("q", LONG), ("q", "\x00")], ["", "q=water", "q=%D0%B2%D0%BE%D0%B4"]),
    (
        "/en/organisations/",
        [("helix", "zzz"), ("country", "1"), ("field", "a b")] + PAGE_BAD,
        ["", "helix=research&country=KZ&field=energy", "page=2"],
    ),
    ("/en/people/", [("country", "1"), ("country", "KAZ")] + PAGE_BAD, ["", "country=kz", "page=1"]),
    ("/iati/activities.xml", [("country", "KAZ"), ("country", "①")], ["", "country=KZ"]),
    (
        "/en/trade/",
        [("year", v) for v in ODD_INTS] + [("metric", "zzz"), ("dataset", LONG)],
        ["", "year=2020", "metric=turnover&year=2019"],
    ),
    (
        "/en/trade/KAZ/",
        [
            ("year", "①"),
            ("year", "99999999999999999999"),
            ("top", "0"),
            ("top", "501"),
            ("top", "¹"),
            ("level", "zzz"),
            ("direction", "up"),
            ("by", "zzz"),
            ("field", "zzz"),
        ],
        ["", "year=2019&direction=in&level=hs4&top=10&by=section", "field=energy"],
    ),
    ("/en/trade/CA5/", [("market", "zzz"), ("year", "¹")], ["", "market=RUS"]),
    ("/en/trade/KAZ/opportunities.csv", [("year", "①"), ("top", "x"), ("level", "zzz")], ["", "top=5&level=hs2"]),
]

# pages that need a signed-in Secretariat member
SIGNED_IN = [
    (
        "/en/actions/",
        [("country", "1"), ("status", "zzz"), ("overdue", "2"), ("mine", "yes"), ("format", "pdf")] + PAGE_BAD,
        ["", "country=KZ&status=open&overdue=1&mine=1", "format=xlsx"],
    ),
    (
        "/en/iati/landscape/",
        [("country", "①"), ("sector", LONG), ("q", "\x00")] + PAGE_BAD,
        ["", "country=KZ&sector=23210&donor=XM-DAC-41114&q=water", "page=1"],
    ),
    ("/en/audit/", [("action", LONG), ("action", "\x00")] + PAGE_BAD, ["", "action=project.", "page=1"]),
    ("/en/my/notifications/", PAGE_BAD, ["", "page=1"]),
    ("/en/actions/overdue/", [], [""]),
    ("/en/forum/", [], [""]),
    ("/en/iati/readiness/", [], [""]),
]


@pytest.fixture(scope="module")
def trade_dir(tmp_path_factory):
    """A small synthetic trade store (built once for the module)."""
    from serai.trade import codes, ingest, synth
    from serai.trade.store import TradeStore

    root = tmp_path_factory.mktemp("trade")
    six = [
        codes.Country(410, "KOR", "Korea"),
        codes.Country(398, "KAZ", "Kazakhstan"),
        codes.Country(417, "KGZ", "Kyrgyzstan"),
        codes.Country(762, "TJK", "Tajikistan"),
        codes.Country(795, "TKM", "Turkmenistan"),
        codes.Country(860, "UZB", "Uzbekistan"),
    ]
    others = [codes.Country(100 + n, f"X{chr(65 + n)}A", f"Other {n}") for n in range(10)]
    synth.generate(
        root / "csv", [2019, 2020], countries=six + others, n_countries=16, n_products=120, rows=4000, seed=3
    )
    ingest.load(root / "csv", TradeStore(root / "store"))
    return root / "store"


@pytest.fixture
def data(reference, system, settings, trade_dir):
    """A public project and an organisation, and the trade store, so the pages have something to show."""
    from serai.orgs.operations import create_organisation
    from serai.projects import operations
    from serai.projects.models import Project
    from serai.projects.operations import SectorShare
    from serai.reference.models import CooperationField

    settings.SERAI_TRADE_DIR = trade_dir
    settings.SERAI_IATI_PUBLISHER_ID = "XI-IATI-KCACF"  # else the IATI files answer 503 (publishing blocked)
    states = reference["states"]
    create_organisation(
        system, {"name": TranslatedText({"en": "Institute"}), "helix": "research", "member_state": states["KZ"]}
    )
    project = operations.create_project(
        system,
        {
            "title": TranslatedText({"en": "Water schools"}),
            "summary": TranslatedText({"en": "Water."}),
            "subcommittee": reference["bodies"]["economy"],
            "planned_start": dt.date(2026, 1, 1),
            "planned_end": dt.date(2027, 1, 1),
        },
        countries=[states["KR"], states["KZ"]],
        sectors=[SectorShare(field=CooperationField.objects.get(code="energy"), percentage=Decimal(100))],
    )
    Project.objects.filter(pk=project.pk).update(status="endorsed", scope="bilateral")
    return project


def _get(client, url, query):
    return client.get(f"{url}?{query}" if query else url)


def _problems(client, url, bad, good) -> list:
    """What the address answers wrongly: each bad value must be a 400 naming its parameter (a
    JSON body keyed by it from the API, a page showing it in <code> otherwise); each good query 200."""
    problems = []
    for name, value in bad:
        response = _get(client, url, f"{name}={quote(value)}")
        body = body_of(response).decode(errors="replace")
        if response.status_code != 400:
            problems.append((name, value, response.status_code, body[:200]))
        elif response["Content-Type"].startswith("application/json"):
            if name not in response.json():
                problems.append((name, value, "not named", body[:200]))
        elif f"<code>{name}</code>" not in body:
            problems.append((name, value, "not named", body[:200]))
    for query in good:
        response = _get(client, url, query)
        if response.status_code != 200:
            problems.append((query, response.status_code, body_of(response)[:200]))
    return problems


@pytest.mark.parametrize(("url", "bad", "good"), PUBLIC, ids=[u for u, *_ in PUBLIC])
def test_anonymous_pages_exports_and_api_refuse_odd_parameters_with_400(client, data, url, bad, good):
    assert _problems(client, url, bad, good) == []


@pytest.mark.parametrize(("url", "bad", "good"), SIGNED_IN, ids=[u for u, *_ in SIGNED_IN])
def test_signed_in_pages_refuse_odd_parameters_with_400(client, data, make_user, url, bad, good):
    client.force_login(make_user(Role.SECRETARIAT))
    assert _problems(client, url, bad, good + [f"{q}&{ODD}" if q else ODD for q in good]) == []


def test_the_400_page_is_translated_and_names_every_bad_parameter(client, data):
    response = client.get("/ru/projects/?year=%E2%91%A0&sort=zzz")
    html = response.content.decode()
    assert response.status_code == 400
    assert "<code>year</code>" in html and "<code>sort</code>" in html and 'lang="ru"' in html


def test_the_api_answers_a_json_400_keyed_by_parameter(client, data):
    response = client.get("/api/v1/projects/?year=%E2%91%A0&page=x&status=zzz")
    assert response.status_code == 400
    assert set(response.json()) == {"year", "page", "status"}
