"""The one state-machine mechanism every domain uses, and the only code that writes a status.

A domain's ``workflow.py`` declares each transition of one kind of object once — where it
starts, where it ends, which permission rule decides who may fire it (by its name in
``serai.access.permissions.RULES``), what must hold first, whether a reason is needed — in a
:class:`Machine`. :func:`fire` runs a transition: it locks the row, asks the machine for
problems, writes the status (and the transition's other values), bumps the version and records
the audit entry, in one transaction. An undeclared move raises :class:`TransitionError` and
changes nothing. No other code writes a declared status field (a test reads every module for
such writes).

``core`` sits below ``access``, so the machine never imports the permission module: ``access``
registers its checker here when the app is ready (:func:`register_permission_checker`), and the
machine resolves each rule name through it. Without a registered checker every move is refused.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from . import audit

Guard = Callable[[Any, Any], list[str]]
Checker = Callable[[Any, str, Any], bool]  # (actor, rule name, object) -> may

_checker: Checker | None = None


def register_permission_checker(checker: Checker) -> None:
    """Called by ``serai.access`` when the app is ready: ``checker(actor, rule, obj)``."""
    global _checker
    _checker = checker


def may(actor: Any, rule: str, obj: Any) -> bool:
    if _checker is None:  # fail closed: nothing moves without the permission module
        raise RuntimeError("no permission checker is registered (serai.access is not installed)")
    return bool(_checker(actor, rule, obj))


@dataclass(frozen=True)
class Context:
    """What a transition may need beyond the object: the actor's reason and, for some, a meeting."""

    reason: str = ""
    meeting: Any = None


@dataclass(frozen=True)
class Transition:
    name: str
    label: Any
    sources: tuple[str, ...]
    target: str
    rule: str  # the permission rule (``permissions.RULES``) that decides who may fire it
    guards: tuple[Guard, ...] = field(default_factory=tuple)
    needs_reason: bool = False
    needs_meeting: bool = False


class TransitionError(Exception):
    """The transition may not happen now. ``problems`` says why; nothing was changed."""

    def __init__(self, transition: str, problems: list[str]):
        self.transition = transition
        self.problems = problems
        super().__init__(f"{transition}: " + "; ".join(problems))


MACHINES: list[Machine] = []  # every declared machine, in declaration order (the inventory test reads it)


class Machine:
    """The transitions of one status field of one model.

    ``model`` is ``"app_label.ModelName"``; ``field`` the status field it owns; ``audit_action``
    the audit action of a fired transition (``{name}`` is the transition's name); ``wrong_state``
    the message for a transition fired from a status it does not start from (with
    ``%(status)s`` and ``%(transition)s``)."""

    def __init__(
        self,
        transitions: tuple[Transition, ...],
        wrong_state: Any,
        *,
        model: str,
        audit_action: str,
        field: str = "status",
    ):
        self.transitions = transitions
        self.by_name = {t.name: t for t in transitions}
        self.wrong_state = wrong_state
        self.model = model
        self.field = field
        self.audit_action = audit_action
        MACHINES.append(self)

    def __repr__(self) -> str:
        return f"<Machine {self.model}.{self.field}>"

    def get(self, name: str) -> Transition:
        try:
            return self.by_name[name]
        except KeyError:
            raise TransitionError(name, [f"there is no transition called {name!r}"]) from None

    def moves(self) -> set[tuple[str, str]]:
        """Every declared (from, to) pair."""
        return {(s, t.target) for t in self.transitions for s in t.sources}

    def to(self, obj: Any, target: str) -> Transition:
        """The declared transition from the object's status to ``target`` (for a form that names
        the new status rather than the move); none declared: :class:`TransitionError`."""
        current = getattr(obj, self.field)
        for transition in self.transitions:
            if current in transition.sources and transition.target == target:
                return transition
        label = dict(type(obj)._meta.get_field(self.field).choices).get(target, target)
        raise TransitionError(
            str(target), [str(_("“%(from)s” cannot become “%(to)s”.")) % {"from": self.status_label(obj), "to": label}]
        )

    def status_label(self, obj: Any) -> Any:
        return getattr(obj, f"get_{self.field}_display")()

    def problems(self, user: Any, obj: Any, transition: Transition, ctx: Any) -> list[str]:
        """Everything that stops ``user`` from firing ``transition`` on ``obj`` now."""
        if getattr(obj, self.field) not in transition.sources:
            return [str(self.wrong_state) % {"status": self.status_label(obj), "transition": transition.label}]
        if not may(user, transition.rule, obj):
            return [str(_("You may not do this."))]
        out: list[str] = []
        if transition.needs_reason and not (getattr(ctx, "reason", "") or "").strip():
            out.append(str(_("A reason is required.")))
        for guard in transition.guards:
            out.extend(guard(obj, ctx))
        return out

    def available(self, user: Any, obj: Any) -> list[Transition]:
        """Transitions the user may fire from the object's status (guards are checked on firing)."""
        current = getattr(obj, self.field)
        return [t for t in self.transitions if current in t.sources and may(user, t.rule, obj)]


@transaction.atomic
def edit(
    actor: Any,
    machine: Machine,
    obj: Any,
    action: str,
    values: Mapping[str, Any],
    *,
    m2m: Mapping[str, Any] | None = None,
    expected_version: int | None = None,
    reason: str = "",
) -> Any:
    """An edit form's save that may also name a new status: the status moves through the machine
    (the declared transition to it, guarded and audited as itself; none declared: refused), the
    other values through ``update_object``. One transaction; a refusal changes nothing."""
    from .operations import EditConflict, update_object

    values = dict(values)
    target = values.pop(machine.field, None)
    row = type(obj)._default_manager.select_for_update(of=("self",)).get(pk=obj.pk)
    if expected_version is not None and getattr(row, "version", expected_version) != expected_version:
        raise EditConflict(row, expected_version, row.version)
    if target is not None and target != getattr(row, machine.field):
        row = fire(actor, machine, row, machine.to(row, target), reason=reason, locked=True)
    return update_object(actor, row, action, values, m2m=m2m, reason=reason)


def machine_for(model: type) -> Machine | None:
    label = f"{model._meta.app_label}.{model.__name__}"
    return next((m for m in MACHINES if m.model == label), None)


def _has_version(obj: Any) -> bool:
    return any(f.name == "version" for f in obj._meta.concrete_fields)


@transaction.atomic
def fire(
    actor: Any,
    machine: Machine,
    obj: Any,
    transition: str | Transition,
    *,
    reason: str = "",
    values: Mapping[str, Any] | Callable[[Any, Transition], Mapping[str, Any]] | None = None,
    context: Any = None,
    audit_extra: dict[str, Any] | None = None,
    locked: bool = False,
    **ctx: Any,
) -> Any:
    """Fire ``transition`` on ``obj``: lock the row (unless the caller holds it: ``locked``),
    check the machine (permission rule, source state, reason, guards), write the target status
    and ``values`` (a mapping, or a function of the locked row and the transition returning one),
    bump the version, save and record the audit entry. Returns the locked, saved row.

    ``context`` is the guards' context (by default a :class:`Context` of ``reason`` and ``ctx``)."""
    t = transition if isinstance(transition, Transition) else machine.get(transition)
    row = obj if locked else type(obj)._default_manager.select_for_update(of=("self",)).get(pk=obj.pk)
    ctx_obj = context if context is not None else Context(reason=reason, **ctx)
    problems = machine.problems(actor, row, t, ctx_obj)
    if problems:
        raise TransitionError(t.name, problems)
    before = audit.snapshot(row)
    extra = values(row, t) if callable(values) else (values or {})
    setattr(row, machine.field, t.target)
    for key, value in extra.items():
        if key == machine.field:
            raise ValueError(f"the machine writes {machine.field!r}; pass it through the transition")
        setattr(row, key, value)
    if _has_version(row):
        row.version += 1
    row.save()
    audit.record(
        actor,
        machine.audit_action.format(name=t.name),
        row,
        before=before,
        after=audit.snapshot(row),
        reason=reason,
        extra=audit_extra,
    )
    return row
