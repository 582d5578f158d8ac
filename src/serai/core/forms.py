"""Form helpers shared by the domain forms."""

from __future__ import annotations

from django.db import models


def formfield(db_field: models.Field, **kwargs):
    """Default form field, with web addresses assumed to be https:// when typed without a scheme."""
    if isinstance(db_field, models.URLField):
        kwargs.setdefault("assume_scheme", "https")
    return db_field.formfield(**kwargs)
