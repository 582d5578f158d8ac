"""Action completion: rates by country, body and meeting, the trend over the Forum's sessions and
overdue actions by owner, as charts with tables and CSV; a focal point sees their countries' rows;
the CSV's cells never become formulas; the page's queries do not grow with the rows."""

import csv
import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from serai.core.i18n import TranslatedText
from serai.core.testing import cold
from serai.governance.models import ActionItem, Meeting

PAGE = "/en/control/actions/"
PAST = dt.date(2020, 1, 1)
FUTURE = dt.date(2099, 1, 1)


def t(text):
    return TranslatedText({"en": text}, source="en")


@pytest.fixture
def forum(reference):
    return Meeting.objects.filter(body__kind="forum", status="held").order_by("year", "number").last()


@pytest.fixture
def actions(reference, forum, make_org, make_person):
    states = reference["states"]
    org_kz = make_org('=HYPERLINK("http://evil")', country="KZ")
    person_uz = make_person("Ulugbek", country="UZ")

    def add(status, due=None, **owner):
        return ActionItem.objects.create(
            meeting=forum, title=t(f"{status} {owner}"), status=status, due_date=due, **owner
        )

    return {
        "kz_done": add("done", owner_country=states["KZ"]),
        "kz_open_overdue": add("open", PAST, owner_country=states["KZ"]),
        "kz_org_overdue": add("in_progress", PAST, owner_organisation=org_kz),
        "kz_dropped": add("dropped", owner_country=states["KZ"]),
        "uz_done": add("done", owner_country=states["UZ"]),
        "uz_person_open": add("open", FUTURE, owner_person=person_uz),
    }


def rows_by_key(rates):
    return {r.key: r for r in rates}


def test_rates_by_country_count_organisations_and_people_for_their_country(client, roles, actions):
    client.force_login(roles["secretariat"])
    response = client.get(PAGE)
    assert response.status_code == 200
    by_country = rows_by_key(response.context["sections"][0]["rows"])
    kz, uz = by_country["KZ"], by_country["UZ"]
    # KZ: done, open (overdue), the KZ organisation's (overdue), dropped (left out) → 1 of 3
    assert (kz.total, kz.done, kz.dropped, kz.overdue, kz.rate) == (4, 1, 1, 2, 33.3)
    assert (uz.total, uz.done, uz.rate) == (2, 1, 50.0)
    total = response.context["total"]
    assert (total.total, total.done, total.overdue) == (6, 2, 2)
    owners = response.context["owners"]["rows"]
    assert sorted(g.count for g in owners) == [1, 1]
    body = response.content.decode()
    assert 'id="fig-completion-country"' in body and "vendor/plotly" in body and "<table" in body


def test_the_trend_gathers_each_session_cycle(client, roles, reference, actions, forum):
    som = reference["bodies"]["som"]
    later = Meeting.objects.create(body=som, number=77, year=forum.year + 1, status="held")
    ActionItem.objects.create(meeting=later, title=t("after"), status="done", owner_country=reference["states"]["KZ"])
    client.force_login(roles["secretariat"])
    trend = client.get(PAGE).context["trend"]["rows"]
    assert [r.key for r in trend] == [str(forum.pk), ""]  # the last session's cycle, then since it
    assert (trend[0].total, trend[1].total, trend[1].rate) == (6, 1, 100.0)


def test_a_focal_point_sees_their_countrys_actions_only(client, roles, actions):
    client.force_login(roles["fp_kz"])
    response = client.get(PAGE)
    assert set(rows_by_key(response.context["sections"][0]["rows"])) == {"KZ"}
    assert response.context["total"].total == 4
    csv_text = b"".join(client.get("/en/control/actions/owner.csv").streaming_content).decode("utf-8-sig")
    assert "Ulugbek" not in csv_text
    client.force_login(roles["fp_uz"])
    assert set(rows_by_key(client.get(PAGE).context["sections"][0]["rows"])) == {"UZ"}


def test_the_csv_cells_are_neutralised(client, roles, actions):
    client.force_login(roles["secretariat"])
    response = client.get("/en/control/actions/owner.csv")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[0] == ["owner_kind", "owner", "overdue_actions", "oldest_due_date"]
    owners = [row[1] for row in rows[1:]]
    assert '\'=HYPERLINK("http://evil")' in owners  # shown as text, never run
    assert not any(cell.startswith("=") for row in rows for cell in row)


@pytest.mark.parametrize("by", ["country", "body", "meeting", "session"])
def test_each_table_downloads_as_csv(client, roles, actions, by):
    client.force_login(roles["secretariat"])
    response = client.get(f"/en/control/actions/{by}.csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[0][0] == "key" and rows[0][-1] == "completion_percent" and len(rows) > 1


def test_an_unknown_table_is_a_400(client, roles):
    client.force_login(roles["secretariat"])
    response = client.get("/en/control/actions/everything.csv")
    assert response.status_code == 400 and "by" in response.content.decode()


def test_the_page_runs_a_constant_number_of_queries(client, roles, reference, actions, make_org):
    client.force_login(roles["secretariat"])

    def count():
        client.get(PAGE)  # warm-up: a session's first request writes what later ones only read
        cold()  # then a cold render: nothing kept between requests counts
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(PAGE)
        assert response.status_code == 200
        return len(ctx), response

    few, _ = count()
    economy = Meeting.objects.create(body=reference["bodies"]["economy"], number=5, year=2024, status="held")
    for n in range(4):
        ActionItem.objects.create(
            meeting=economy, title=t(f"new {n}"), due_date=PAST, owner_organisation=make_org(f"Org {n}", country="TJ")
        )
    many, response = count()
    assert many == few
    assert "TJ" in rows_by_key(response.context["sections"][0]["rows"])
    assert "economy" in rows_by_key(response.context["sections"][1]["rows"])
    assert len(response.context["owners"]["rows"]) == 6
