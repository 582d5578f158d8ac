"""Form helpers shared by the domain forms."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models

from .operations import EditConflict

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
    except refusals as exc:
        form.add_error(None, str(exc))
    return None


def error_text(form) -> str:
    """Every error of a form as one line, for a message after a redirect (forms posted from a
    page that does not render them)."""
    return " ".join(str(e) for errors in form.errors.values() for e in errors)


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
