"""Dates, times and numbers in forms, in every language (issue 14, item 2).

A browser's <input type="date"> shows "01.01.2027" (Django's Russian date format) as an empty box
and posts it back empty, so saving in Russian wiped the dates. Every form's date, time and number
inputs render ISO dates and plain numbers in every language."""

import datetime as dt
import importlib
import inspect
import pkgutil
import re
from decimal import Decimal

import pytest
from django import forms
from django.conf import settings
from django.utils import translation

import serai
from serai.core.forms import cleared_fields, date_input, datetime_input, input_widget, number_input, time_input

VALUES = {
    forms.DateTimeField: (dt.datetime(2027, 1, 31, 9, 30), "2027-01-31T09:30"),
    forms.DateField: (dt.date(2027, 1, 31), "2027-01-31"),
    forms.TimeField: (dt.time(9, 30), "09:30"),
    forms.DecimalField: (Decimal("1234567.5"), "1234567.5"),
    forms.FloatField: (1234567.5, "1234567.5"),
    forms.IntegerField: (1234567, "1234567"),
}


def every_form_class():
    found = []
    for module in pkgutil.walk_packages(serai.__path__, "serai."):
        if not module.name.endswith(".forms") or ".tests" in module.name:
            continue
        mod = importlib.import_module(module.name)
        for _name, cls in inspect.getmembers(mod, inspect.isclass):
            if issubclass(cls, forms.BaseForm) and cls.__module__ == mod.__name__:
                found.append(cls)
    return found


def rendered(field, value):
    return field.widget.render("x", field.prepare_value(value))


def expected(field):
    for kind, (value, text) in VALUES.items():
        if isinstance(field, kind):
            return value, text
    return None


@pytest.mark.parametrize("lang", [code for code, _name in settings.LANGUAGES])
def test_every_form_renders_iso_dates_and_plain_numbers(lang):
    classes = every_form_class()
    assert len(classes) > 20  # the walk found the domain forms
    checked, wrong = 0, []
    with translation.override(lang):
        for cls in classes:
            for name, field in cls.base_fields.items():
                case = expected(field)
                if case is None or isinstance(field.widget, forms.HiddenInput):
                    continue
                value, text = case
                html = rendered(field, value)
                checked += 1
                if f'value="{text}"' not in html:
                    wrong.append(f"{cls.__module__}.{cls.__name__}.{name}: {html}")
    assert checked > 10
    assert not wrong, "\n".join(wrong)


def test_the_widget_helpers_in_russian():
    with translation.override("ru"):
        assert 'type="date"' in date_input().render("d", dt.date(2027, 1, 1)) and 'value="2027-01-01"' in (
            date_input().render("d", dt.date(2027, 1, 1))
        )
        assert 'value="2027-01-01T08:05"' in datetime_input().render("d", dt.datetime(2027, 1, 1, 8, 5))
        assert 'value="08:05"' in time_input().render("t", dt.time(8, 5))
        assert 'value="1234.5"' in number_input().render("n", Decimal("1234.5"))
        field = forms.DecimalField(localize=True)
        field.widget = input_widget(field)
        assert 'value="1234.5"' in rendered(field, Decimal("1234.5"))
        assert field.clean("1234.5") == Decimal("1234.5")


def test_a_cleared_value_is_named():
    class F(forms.Form):
        start = forms.DateField(label="Start", required=False)
        end = forms.DateField(label="End", required=False)

    form = F({"start": "", "end": "2027-02-01"}, initial={"start": dt.date(2027, 1, 1), "end": dt.date(2027, 1, 2)})
    assert form.is_valid()
    assert cleared_fields(form) == ["Start"]


def _energy():
    from serai.projects.operations import SectorShare
    from serai.reference.models import CooperationField

    return [SectorShare(field=CooperationField.objects.get(code="energy"), percentage=Decimal(100))]


def _post_back(client, url, html, **changes):
    from serai.projects.tests.helpers import form_data

    data = form_data(html)
    data.pop("csrfmiddlewaretoken", None)
    data.update(changes)
    return client.post(url, data)


@pytest.mark.django_db
@pytest.mark.parametrize("lang", ["ru", "ko", "en"])
def test_editing_a_project_keeps_its_dates_and_budget_in_every_language(client, lang, make_user, reference):
    from serai.access.models import Role
    from serai.core.i18n import TranslatedText
    from serai.projects import operations
    from serai.projects.models import Project

    secretariat = make_user(Role.SECRETARIAT)
    project = operations.create_project(
        secretariat,
        {
            "title": TranslatedText({"en": "Dates"}),
            "planned_start": dt.date(2027, 1, 1),
            "planned_end": dt.date(2028, 12, 31),
            "budget_amount": Decimal("1234567.50"),
            "budget_currency": "KRW",
            "usd_rate": Decimal("0.00072500"),
            "usd_rate_date": dt.date(2026, 11, 30),
        },
        countries=[reference["states"]["KR"], reference["states"]["KZ"]],
        sectors=_energy(),
    )
    client.force_login(secretariat)
    url = f"/{lang}/projects/{project.pk}/edit/"
    page = client.get(url).content.decode()
    assert re.search(r'type="date"[^>]*value="2027-01-01"|value="2027-01-01"[^>]*type="date"', page), lang
    assert 'value="1234567.50"' in page and 'value="0.00072500"' in page
    response = _post_back(client, url, page)
    assert response.status_code == 302, re.findall(r'class="errors"[^>]*>(.*?)</div>', response.content.decode(), re.S)
    project = Project.objects.get(pk=project.pk)
    assert (project.planned_start, project.planned_end, project.usd_rate_date) == (
        dt.date(2027, 1, 1),
        dt.date(2028, 12, 31),
        dt.date(2026, 11, 30),
    )
    assert project.budget_amount == Decimal("1234567.50")


@pytest.mark.django_db
def test_clearing_a_date_is_not_dressed_as_a_plain_success(client, make_user, reference):
    from serai.access.models import Role
    from serai.core.i18n import TranslatedText
    from serai.projects import operations

    secretariat = make_user(Role.SECRETARIAT)
    project = operations.create_project(
        secretariat,
        {"title": TranslatedText({"en": "Dates"}), "planned_start": dt.date(2027, 1, 1)},
        countries=[reference["states"]["KR"], reference["states"]["KZ"]],
        sectors=_energy(),
    )
    client.force_login(secretariat)
    url = f"/en/projects/{project.pk}/edit/"
    response = _post_back(client, url, client.get(url).content.decode(), planned_start="")
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "these fields are now empty: Planned start" in page
    assert "message warning" in page


@pytest.mark.django_db
def test_the_meeting_form_shows_its_dates_in_russian(client, make_user, reference):
    from serai.access.models import Role
    from serai.governance.models import Meeting

    meeting = Meeting.objects.create(
        body=reference["bodies"]["economy"],
        number=7,
        year=2027,
        status="planned",
        start_date=dt.date(2027, 1, 1),
        end_date=dt.date(2027, 1, 2),
    )
    client.force_login(make_user(Role.SECRETARIAT))
    url = f"/ru/meetings/{meeting.pk}/edit/"
    page = client.get(url).content.decode()
    assert 'value="2027-01-01"' in page and 'value="2027-01-02"' in page and "01.01.2027" not in page
    assert _post_back(client, url, page).status_code == 302  # saved unchanged: the dates stay
    meeting.refresh_from_db()
    assert (meeting.start_date, meeting.end_date) == (dt.date(2027, 1, 1), dt.date(2027, 1, 2))
    with translation.override("en"):
        response = _post_back(
            client, url.replace("/ru/", "/en/"), client.get(url.replace("/ru/", "/en/")).content.decode(), end_date=""
        )
    assert response.status_code == 302
    assert "these fields are now empty: End date" in client.get(response["Location"]).content.decode()
