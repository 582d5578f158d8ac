"""Issue 18: the results page offers "Approve" and "Return" to whoever the ``results.review`` rule
allows (asked through the permission module, not by testing for the Secretariat in the view)."""

import datetime as dt
from decimal import Decimal

from serai.access import permissions
from serai.core.i18n import TranslatedText
from serai.projects import operations


def test_review_buttons_follow_the_rule(client, roles, make_project):
    project = make_project()
    sec = roles["secretariat"]
    period = operations.add_period(sec, project, dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    result = operations.add_result(sec, project, "output", TranslatedText({"en": "R"}, source="en"))
    ind = operations.add_indicator(
        sec, result, {"title": TranslatedText({"en": "I"}, source="en"), "unit": "u", "target": Decimal(10)}
    )
    update = operations.save_update(sec, ind, period, Decimal(3))
    operations.review_update(sec, update, "submit")
    url = f"/en/projects/{project.pk}/results/"
    for name in ("secretariat", "fp_kz"):
        user = roles[name]
        client.force_login(user)
        page = client.get(url)
        assert page.status_code == 200, name
        offered = 'value="approve"' in page.content.decode()
        assert offered is permissions.can(user, "results.review", update), name
    assert permissions.can(sec, "results.review", update) and not permissions.can(roles["fp_kz"], "results.review")
