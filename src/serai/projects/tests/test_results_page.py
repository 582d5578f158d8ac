"""The results framework page: build a framework, report, submit, review; who may do what."""

import datetime as dt
import re
from decimal import Decimal

from serai.core.i18n import TranslatedText
from serai.core.testing import assert_constant_queries
from serai.projects import operations
from serai.projects.models import IndicatorUpdate


def post(client, url, action, prefix, **fields):
    data = {"action": action, **{f"{prefix}-{k}": v for k, v in fields.items()}}
    if "title" in fields:
        data |= {f"{prefix}-title_0": fields["title"], f"{prefix}-title_6": "en"}
        data.pop(f"{prefix}-title")
    return client.post(url, data)


def test_build_report_and_review_progress(client, roles, make_project):
    project = make_project()
    url = f"/en/projects/{project.pk}/results/"
    client.force_login(roles["fp_kz"])
    assert post(client, url, "result", "r", kind="output", title="Engineers trained").status_code == 302
    result = project.results.get()
    assert (
        post(
            client,
            url,
            "indicator",
            "i",
            result=result.pk,
            title="People trained",
            unit="people",
            baseline="0",
            target="200",
            aggregation="sum",
        ).status_code
        == 302
    )
    indicator = result.indicators.get()
    assert post(client, url, "period", "p", start="2026-01-01", end="2026-06-30").status_code == 302
    assert post(client, url, "period", "p", start="2026-07-01", end="2026-12-31").status_code == 302
    first, second = project.periods.order_by("start")
    bad = post(client, url, "period", "p", start="2027-02-01", end="2027-01-01")
    assert bad.status_code == 400 and "ends before it starts" in bad.content.decode()
    assert (
        post(
            client, url, "update", "u", indicator=indicator.pk, period=first.pk, value="80", narrative="First cohort"
        ).status_code
        == 302
    )
    assert post(client, url, "update", "u", indicator=indicator.pk, period=second.pk, value="50").status_code == 302
    u1, u2 = IndicatorUpdate.objects.order_by("period__start")
    assert post(client, url, "review", "v", update=u1.pk, move="submit").status_code == 302
    # A focal point cannot approve: the refusal is shown, nothing changes.
    refused = post(client, url, "review", "v", update=u1.pk, move="approve")
    assert refused.status_code == 400 and "Only the Secretariat reviews" in refused.content.decode()
    u1.refresh_from_db()
    assert u1.status == "submitted"

    client.force_login(roles["secretariat"])
    no_reason = post(client, url, "review", "v", update=u1.pk, move="return", comment="")
    assert no_reason.status_code == 400 and "Say why" in no_reason.content.decode()
    assert post(client, url, "review", "v", update=u1.pk, move="approve").status_code == 302
    detail = client.get(f"/en/projects/{project.pk}/").content.decode()
    assert (
        re.search(r"<td class=\"num\">80</td>", detail) and "40.0%" in detail
    )  # 80 of 200; the draft 50 does not count
    page = client.get(url).content.decode()
    assert "Approved" in page and "Submit for review" in page  # the second period's draft can still be submitted


def test_results_page_is_for_editors_only(client, roles, make_project, make_user):
    project = make_project()
    url = f"/en/projects/{project.pk}/results/"
    assert client.get(url).status_code == 302  # sign in first
    client.force_login(make_user())
    assert client.get(url).status_code == 404  # a draft is invisible to them
    client.force_login(roles["secretariat"])
    assert client.get(url).status_code == 200


def test_results_page_queries_are_constant(client, roles, make_project):
    project = make_project()
    period = operations.add_period(roles["secretariat"], project, dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    client.force_login(roles["secretariat"])

    def grow():
        result = operations.add_result(
            roles["secretariat"], project, "output", TranslatedText({"en": "R"}, source="en")
        )
        ind = operations.add_indicator(
            roles["secretariat"],
            result,
            {"title": TranslatedText({"en": "I"}, source="en"), "unit": "u", "target": Decimal(10)},
        )
        operations.save_update(roles["secretariat"], ind, period, Decimal(3))

    grow()
    assert_constant_queries(
        lambda: client.get(f"/en/projects/{project.pk}/results/").content,
        grow,
        check=lambda a, b: (
            b.count(b"Save draft") + b.count(b"Submit for review")
            > a.count(b"Save draft") + a.count(b"Submit for review")
        ),
    )
