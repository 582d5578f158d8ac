"""Form helpers shared by the domain forms."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TypeVar

from django import forms
from django.core.exceptions import BadRequest, PermissionDenied, ValidationError
from django.db import models
from django.utils.text import normalize_newlines
from django.utils.translation import gettext_lazy as _

from .operations import EditConflict
from .workflow import TransitionError

R = TypeVar("R")


def formfield(db_field: models.Field, **kwargs):
    """Default form field, with web addresses assumed to be https:// when typed without a scheme,
    and dates, times and numbers in the browser's own inputs in ISO form (``input_widget``)."""
    if isinstance(db_field, models.URLField):
        kwargs.setdefault("assume_scheme", "https")
    field = db_field.formfield(**kwargs)
    if field is not None and "widget" not in kwargs:
        widget = input_widget(field)
        if widget is not None:
            field.widget = widget
    return field


def run_operation(form, operation: Callable[[], R], *, refusal_on_form: bool = False) -> R | None:
    """Run an operation for a valid form; put what it refuses back on the form and return None.

    Validation errors go to their field when the form has it, else to the whole form; an edit
    conflict is shown on the whole form. A PermissionDenied propagates (403) unless
    ``refusal_on_form`` asks for it to be shown on the form instead.
    """
    refusals: tuple[type[Exception], ...] = (EditConflict, PermissionDenied) if refusal_on_form else (EditConflict,)
    try:
        return operation()
    except ValidationError as exc:
        if hasattr(exc, "error_dict"):
            for key, errors in exc.error_dict.items():
                form.add_error(key if key in form.fields else None, errors)
        else:
            form.add_error(None, exc)
    except TransitionError as exc:  # a move the workflow refuses: each reason on the form
        for problem in exc.problems:
            form.add_error(None, problem)
    except refusals as exc:
        form.add_error(None, str(exc))
    return None


def error_text(form) -> str:
    """Every error of a form as one line, for a message after a redirect (forms posted from a
    page that does not render them)."""
    return " ".join(str(e) for errors in form.errors.values() for e in errors)


# --- query strings: every parameter a page, export or list reads goes through a form -------------
_ASCII_INT = re.compile(r"-?[0-9]{1,18}")  # not \d: that also matches "٣"; int() takes "①" or "¹" never


INVALID_INTEGER = _("Enter a whole number written with the digits 0–9.")
INTEGER_RANGE = _("Enter a whole number from %(min)s to %(max)s.")


def strict_int(value, min_value: int, max_value: int) -> int:
    """``value`` (text or int) as a whole number written with the ASCII digits 0–9 only (a leading
    minus allowed), within the range; ValidationError otherwise. "¹", "①", "٣", " 7", "1e3", "0x10",
    "1.5" and 20-digit numbers are refused before they reach int() or the database. Forms
    (:class:`StrictIntegerField`) and the API's serializers share this one rule."""
    if isinstance(value, bool) or not isinstance(value, (str, int)) or not _ASCII_INT.fullmatch(str(value)):
        raise ValidationError(INVALID_INTEGER, code="invalid")
    number = int(str(value))
    if not min_value <= number <= max_value:
        raise ValidationError(INTEGER_RANGE, code="range", params={"min": min_value, "max": max_value})
    return number


class StrictIntegerField(forms.Field):
    """An optional whole number in a range, read by :func:`strict_int`."""

    def __init__(self, *, min_value: int, max_value: int, **kwargs):
        self.min_value, self.max_value = min_value, max_value
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        return strict_int(value, self.min_value, self.max_value)


class CodeField(forms.RegexField):
    """An optional code from a reference list (a cooperation field, a subcommittee, a dataset):
    ASCII letters, digits, '-', '_' and '.', at most ``max_length`` characters. An unknown but
    well-formed code simply matches nothing."""

    def __init__(self, max_length: int = 40, *, regex: str = r"[A-Za-z0-9][A-Za-z0-9._-]*", **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("error_messages", {"invalid": _("Enter a code of letters, digits, '-', '_' or '.'.")})
        super().__init__(regex=rf"\A{regex}\Z", max_length=max_length, **kwargs)


class CountryCodeField(forms.RegexField):
    """An optional ISO 3166 alpha-2 code ("kz" is read as "KZ")."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("error_messages", {"invalid": _("Enter a two-letter country code such as KZ.")})
        super().__init__(regex=r"\A[A-Za-z]{2}\Z", max_length=2, **kwargs)

    def clean(self, value):
        return super().clean(value).upper()


class FlagField(forms.ChoiceField):
    """An optional on/off switch of a query string: "1" is on, "0" or nothing is off."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(choices=[("", ""), ("0", "0"), ("1", "1")], **kwargs)

    def clean(self, value):
        return super().clean(value) == "1"


class MultilineField(forms.CharField):
    """Text typed in a textarea. Browsers post its line breaks as CR LF; they are stored as LF, so a
    text saved unchanged stays the same (and a multiline translated text, ``TranslatableFormField``,
    does the same)."""

    widget = forms.Textarea

    def to_python(self, value):
        return normalize_newlines(super().to_python(value))


class QueryForm(forms.Form):
    """A form over a query string. It validates the parameters it declares and ignores others
    (e.g. a campaign tag); text fields are stripped and refuse NUL characters (Django's CharField).
    Missing or blank parameters take the field's ``initial`` value."""

    def clean(self):
        data = super().clean()
        for name, field in self.fields.items():
            if name in data and data[name] in field.empty_values and field.initial is not None:
                data[name] = field.initial
        return data


class BadQuery(BadRequest):
    """A query string with parameters that do not validate; ``errors`` maps each to its messages.
    Pages answer it with a 400 page naming the parameters (``serai.core.views.bad_request``)."""

    def __init__(self, errors: dict[str, list[str]]):
        self.errors = errors
        super().__init__("; ".join(f"{name}: {' '.join(messages)}" for name, messages in errors.items()))


def parse_query(form_class: type[forms.Form], source, **kwargs) -> dict:
    """The cleaned parameters of ``source`` (a request, or a QueryDict) read by ``form_class``, or
    :class:`BadQuery` (a 400 naming each bad parameter)."""
    params = source.GET if hasattr(source, "GET") else source
    form = form_class(params, **kwargs)
    if not form.is_valid():
        raise BadQuery({name: [str(m) for m in messages] for name, messages in form.errors.items()})
    return form.cleaned_data


# --- date, time and number inputs: the one widget setup every form uses ----------------------------
# A browser's <input type="date"> takes and gives only ISO dates (2027-01-01) whatever the page's
# language; given "01.01.2027" (Django's Russian date format) it shows an empty box and posts it
# back empty, so saving wipes the date. The same holds for datetime-local and time. Numbers in
# <input type="number"> must be plain too: "1 234,5" is not a number to the browser. So dates and
# times are always rendered in ISO form, and number inputs are never localized (Django reads ISO
# dates and plain numbers back in every language).
ISO_DATE = "%Y-%m-%d"
ISO_DATETIME = "%Y-%m-%dT%H:%M"
ISO_TIME = "%H:%M"


def date_input(**attrs) -> forms.DateInput:
    return forms.DateInput(format=ISO_DATE, attrs={"type": "date", **attrs})


def datetime_input(**attrs) -> forms.DateTimeInput:
    return forms.DateTimeInput(format=ISO_DATETIME, attrs={"type": "datetime-local", **attrs})


def time_input(**attrs) -> forms.TimeInput:
    return forms.TimeInput(format=ISO_TIME, attrs={"type": "time", **attrs})


def number_input(step: str = "any", **attrs) -> forms.NumberInput:
    """A number input that renders ``1234.5`` in every language (never localized)."""
    widget = forms.NumberInput(attrs={"step": step, **attrs})
    widget.is_localized = False
    return widget


def input_widget(field: forms.Field) -> forms.Widget | None:
    """The ISO widget for a form field of a date, time or number type (None for other fields).
    Hidden inputs are left alone (their value is already rendered plainly)."""
    if isinstance(field.widget, forms.HiddenInput):
        return None
    attrs = {k: v for k, v in field.widget.attrs.items() if k not in ("type",)}
    if isinstance(field, forms.SplitDateTimeField):
        return None
    if isinstance(field, forms.DateTimeField):
        return datetime_input(**attrs)
    if isinstance(field, forms.DateField):
        return date_input(**attrs)
    if isinstance(field, forms.TimeField):
        return time_input(**attrs)
    if isinstance(field, (forms.IntegerField, forms.DecimalField, forms.FloatField)):
        field.localize = False
        widget = number_input(**attrs)
        widget.attrs.update(field.widget_attrs(widget))  # step, min and max, as Field.__init__ sets them
        return widget
    return None


class IsoInputsMixin:
    """For forms that declare their own fields: every date, time and number field gets the ISO
    widget of :func:`input_widget` (also fields added in ``__init__``, when it calls
    ``self.iso_inputs()`` after adding them)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.iso_inputs()

    def iso_inputs(self) -> None:
        for field in self.fields.values():
            widget = input_widget(field)
            if widget is not None:
                field.widget = widget


def cleared_fields(form) -> list[str]:
    """Labels of the fields that had a value and were saved empty: an edit that empties a date
    must say so, not just "saved" (a browser that could not show a value posts it back empty)."""
    empty = (None, "", [], (), {})
    cleared = []
    for name in form.changed_data:
        field = form.fields.get(name)
        if field is None or isinstance(field.widget, forms.HiddenInput):
            continue
        before = form.get_initial_for_field(field, name)
        if before not in empty and form.cleaned_data.get(name) in empty:
            cleared.append(str(field.label or name))
    return cleared


def report_saved(request, form, saved: str, cleared: str) -> None:
    """Tell the editor an edit was saved: ``saved`` as a success, or ``cleared`` (with
    ``%(fields)s``) as a warning naming the fields the edit left empty."""
    from django.contrib import messages

    fields = cleared_fields(form)
    if fields:
        messages.warning(request, cleared % {"fields": ", ".join(fields)})
    else:
        messages.success(request, saved)
