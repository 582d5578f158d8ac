"""Every label a user reads on a form is translatable (issue 14, item 10).

A model field without a ``verbose_name`` gets Django's English one made from its name ('parent',
'agenda item'), which no catalog translates: such fields need a label in the form."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

from django import forms
from django.utils.functional import Promise

import serai
from serai.core.forms import QueryForm


def _forms():
    for info in pkgutil.walk_packages(serai.__path__, "serai."):
        if not info.name.endswith(".forms"):
            continue
        module = importlib.import_module(info.name)
        for cls in vars(module).values():
            if (
                inspect.isclass(cls)
                and issubclass(cls, forms.BaseForm)
                and cls.__module__ == module.__name__
                and not issubclass(cls, QueryForm)
            ):  # query-string parsers: their pages write the labels
                yield cls


def test_every_visible_form_field_has_a_translatable_label():
    untranslated = [
        f"{cls.__module__}.{cls.__name__}.{name}: {field.label!r}"
        for cls in _forms()
        for name, field in cls.base_fields.items()
        if not isinstance(field.widget, forms.HiddenInput) and not isinstance(field.label, Promise)
    ]
    assert untranslated == []


def test_choice_labels_are_translatable():
    untranslated = []
    for cls in _forms():
        for name, field in cls.base_fields.items():
            if isinstance(field, forms.ModelChoiceField) or not hasattr(field, "choices"):
                continue
            for value, label in field.choices:
                if value not in ("", None) and not isinstance(label, (Promise, list, tuple)):
                    untranslated.append(f"{cls.__module__}.{cls.__name__}.{name}={value}: {label!r}")
    assert untranslated == []


def test_meeting_form_labels_in_russian():
    from django.utils import translation

    from serai.governance.forms import DecisionForm

    with translation.override("ru"):
        assert str(DecisionForm.base_fields["agenda_item"].label) == "Пункт повестки"
