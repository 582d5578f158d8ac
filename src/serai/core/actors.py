"""Who acted: the one place that turns an actor into the user to store on a row.

Operations take an actor: a signed-in user, or a ``SystemActor`` for a command (loaders, demo
data, scheduled work). A row that records who did something (``created_by``, ``uploaded_by``,
an audit entry's ``actor``) stores the user, or nothing for a command or an anonymous visitor.
"""

from __future__ import annotations

from typing import Any


def user_of(actor: Any):
    """The signed-in user behind ``actor``; ``None`` for a command (``SystemActor`` has no pk), an
    anonymous visitor, or anything that is not a saved, authenticated user."""
    if getattr(actor, "pk", None) is None or not getattr(actor, "is_authenticated", False):
        return None
    return actor
