"""The meeting page's select boxes are written in Python (``forms.QuickSelectMixin``): the markup
must stay exactly what Django's widget templates write, for every kind of choice list."""

from __future__ import annotations

import pytest
from django import forms
from django.contrib.auth.models import Group
from django.test.html import parse_html

from serai.governance.forms import QuickSelect, QuickSelectMultiple, listed_choices, quick_selects

CHOICES = [("", "---------"), (1, "One <b>"), (2, "Two & two"), ("x", "Ex")]
GROUPED = [("", "none"), ("Group <1>", [(1, "a"), (2, "b")]), (3, "c")]


@pytest.mark.parametrize(
    ("plain", "quick", "choices", "value"),
    [
        (forms.Select, QuickSelect, CHOICES, None),
        (forms.Select, QuickSelect, CHOICES, 2),
        (forms.Select, QuickSelect, [(1, "a"), (1, "again")], 1),  # only the first match is selected
        (forms.Select, QuickSelect, GROUPED, 2),
        (forms.SelectMultiple, QuickSelectMultiple, CHOICES, [1, "x"]),
        (forms.SelectMultiple, QuickSelectMultiple, GROUPED, [1, 3]),
        (forms.SelectMultiple, QuickSelectMultiple, [], None),
    ],
)
def test_quick_select_writes_what_django_writes(plain, quick, choices, value):
    attrs = {"id": "id_f", "required": True, "aria-describedby": 'x"y'}
    ours, django = quick(choices=choices).render("f", value, attrs), plain(choices=choices).render("f", value, attrs)
    assert parse_html(ours) == parse_html(django)  # the same elements, attributes and text
    assert ours.replace("\n", "").replace("  ", "") == django.replace("\n", "").replace("  ", "")  # and order


class _Form(forms.Form):
    one = forms.ChoiceField(choices=CHOICES)
    many = forms.MultipleChoiceField(choices=CHOICES, required=False)
    text = forms.CharField()


def test_quick_selects_swaps_only_plain_selects_and_keeps_the_bound_markup():
    data = {"one": "2", "many": ["1", "x"], "text": "t"}
    plain, quick = str(_Form(data)), str(quick_selects(_Form(data)))
    assert parse_html(quick) == parse_html(plain)
    form = quick_selects(_Form())
    assert type(form.fields["one"].widget) is QuickSelect
    assert type(form.fields["many"].widget) is QuickSelectMultiple
    assert type(form.fields["text"].widget) is forms.TextInput


@pytest.mark.django_db
def test_listed_choices_offer_rows_without_instances_and_still_validate_against_the_queryset():
    for name in ("b<", "a&"):
        Group.objects.create(name=name)
    groups = Group.objects.order_by("name")
    field = forms.ModelChoiceField(queryset=groups)
    listed_choices(field, groups.values_list("pk", "name"), label=lambda name: f"[{name}]")
    field.widget.__class__ = QuickSelect
    first = groups.first()
    assert parse_html(field.widget.render("g", None)) == parse_html(
        '<select name="g"><option value="" selected>---------</option>'
        f'<option value="{first.pk}">[a&amp;]</option><option value="{groups.last().pk}">[b&lt;]</option></select>'
    )
    assert field.clean(str(first.pk)) == first
