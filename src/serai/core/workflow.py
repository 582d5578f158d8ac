"""The one state-machine mechanism every domain uses (projects, minutes).

A domain's ``workflow.py`` declares each transition once — where it starts, where it ends,
who may fire it, what must hold first, whether a reason is needed — in a :class:`Machine`.
The machine decides; it does not write. The domain's operation fires a transition: it asks
the machine for problems, changes the status and records the audit entry.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext_lazy as _

from serai.access import permissions

Guard = Callable[[Any, Any], list[str]]


@dataclass(frozen=True)
class Transition:
    name: str
    label: Any
    sources: tuple[str, ...]
    target: str
    who: Callable[[permissions.Principal, Any], bool]
    guards: tuple[Guard, ...] = field(default_factory=tuple)
    needs_reason: bool = False
    needs_meeting: bool = False


class TransitionError(Exception):
    """The transition may not happen now. ``problems`` says why; nothing was changed."""

    def __init__(self, transition: str, problems: list[str]):
        self.transition = transition
        self.problems = problems
        super().__init__(f"{transition}: " + "; ".join(problems))


class Machine:
    """The transitions of one kind of object; ``wrong_state`` is the message for a transition
    fired from a status it does not start from (with ``%(status)s`` and ``%(transition)s``)."""

    def __init__(self, transitions: tuple[Transition, ...], wrong_state: Any):
        self.transitions = transitions
        self.by_name = {t.name: t for t in transitions}
        self.wrong_state = wrong_state

    def get(self, name: str) -> Transition:
        try:
            return self.by_name[name]
        except KeyError:
            raise TransitionError(name, [f"there is no transition called {name!r}"]) from None

    def problems(self, user: Any, obj: Any, transition: Transition, ctx: Any) -> list[str]:
        """Everything that stops ``user`` from firing ``transition`` on ``obj`` now."""
        if obj.status not in transition.sources:
            return [str(self.wrong_state) % {"status": obj.get_status_display(), "transition": transition.label}]
        if not transition.who(permissions.principal(user), obj):
            return [str(_("You may not do this."))]
        out: list[str] = []
        if transition.needs_reason and not getattr(ctx, "reason", "").strip():
            out.append(str(_("A reason is required.")))
        for guard in transition.guards:
            out.extend(guard(obj, ctx))
        return out

    def available(self, user: Any, obj: Any) -> list[Transition]:
        """Transitions the user may fire from the object's status (guards are checked on firing)."""
        p = permissions.principal(user)
        return [t for t in self.transitions if obj.status in t.sources and t.who(p, obj)]
