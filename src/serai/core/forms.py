"""Form helpers shared by the domain forms."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models

from .operations import EditConflict

R = TypeVar("R")


def formfield(db_field: models.Field, **kwargs):
    """Default form field, with web addresses assumed to be https:// when typed without a scheme."""
    if isinstance(db_field, models.URLField):
        kwargs.setdefault("assume_scheme", "https")
    return db_field.formfield(**kwargs)


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
