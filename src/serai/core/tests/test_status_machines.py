"""Every status field is moved by a declared machine, and only by it (issue 18).

* the inventory: each ``status``/``state``-like field of every Serai model is either owned by a
  machine of :mod:`serai.core.workflow` or listed below with the reason it is not a workflow;
* no module writes a declared status field itself (an AST scan of the source, tests and the
  Django-free ``serai.trade`` excepted):
  ``obj.status = …``, ``setattr(obj, "status", …)``, ``.update(status=…)``, ``values["status"] = …``
  and a ``{"status": …}`` handed to ``update_object``;
* each machine refuses every move it does not declare.
"""

from __future__ import annotations

import ast
import itertools
from pathlib import Path

import pytest
from django.apps import apps
from django.utils.module_loading import autodiscover_modules

import serai
from serai.core import audit_labels, workflow

SOURCE = Path(serai.__file__).parent

# fields that look like a status but are not a workflow, and why
NOT_A_WORKFLOW = {
    "governance.ActionUpdate.status": "the status an action had after a progress update: a record",
    "governance.MinutesRevision.status": "the status a revision's text reached: a record",
    "projects.ProjectTransition.from_status": "the project machine's own timeline",
    "projects.ProjectTransition.to_status": "the project machine's own timeline",
    "projects.FundingSource.tied_status": "an IATI classification of the money, not a state",
    "iati.ImportRun.status": "a run's outcome, written once by the import that runs it (a log row)",
    "iati.LandscapeActivity.status": "the IATI activity-status code copied from the publisher's file",
    "workspace.Notification.email_state": "delivery bookkeeping, claimed with one conditional UPDATE",
    "reports.GeneratedReport.status": "a job queue: workers claim a report with one conditional UPDATE "
    "(its declared moves are in reports/workflow.py)",
}

# writes of a field named like a declared one that are not a workflow move, and why
ALLOWED_WRITES = {
    ("governance/operations.py", "move_minutes"): "MinutesRevision.status: the revision records the status reached",
    ("iati/operations.py", "import_file"): "ImportRun.status: the run's own outcome",
    ("governance/reference.py", "load_forum_history"): "reference rows are created or refreshed as recorded; "
    "a row a person changed is a staff correction and is skipped",
    ("reports/workflow.py", "move"): "the report job queue's claim (a conditional UPDATE, no actor)",
    ("network/importer.py", "_finish"): "the import report's outcome (a dataclass, not a model)",
    ("matchmaking/schedule.py", "_fallback"): "the solver result's status (a dataclass, not a model)",
}


def _machines() -> list[workflow.Machine]:
    autodiscover_modules("workflow")  # every app's workflow.py declares its machines
    return list(workflow.MACHINES)


def _label(model) -> str:
    return f"{model._meta.app_label}.{model.__name__}"


def test_every_status_field_is_declared_or_explained():
    declared = {f"{m.model}.{m.field}" for m in _machines()}
    assert len(declared) == len(_machines()), "two machines own the same field"
    unexplained = []
    for model in apps.get_models():
        if not model.__module__.startswith("serai."):
            continue
        for field in model._meta.concrete_fields:
            if ("status" in field.name or "state" in field.name) and not field.is_relation:
                key = f"{_label(model)}.{field.name}"
                if key not in declared and key not in NOT_A_WORKFLOW:
                    unexplained.append(key)
    assert unexplained == []
    assert {
        "projects.Project.status",
        "projects.IndicatorUpdate.status",
        "governance.Meeting.status",
        "governance.Decision.status",
        "governance.ActionItem.status",
        "governance.WorkPlan.status",
        "governance.WorkPlanActivity.status",
        "governance.Minutes.status",
        "network.CooperationProfile.status",
        "network.Introduction.status",
    } <= declared
    for key in NOT_A_WORKFLOW:  # the list keeps up with the models
        app_model, _dot, name = key.rpartition(".")
        apps.get_model(app_model)._meta.get_field(name)


def _status_writes(tree: ast.AST, fields: set[str]):
    """(function, line, what) of each direct write of one of ``fields``."""

    def dict_has(node, names) -> bool:
        return isinstance(node, ast.Dict) and any(
            isinstance(k, ast.Constant) and k.value in names for k in node.keys if k is not None
        )

    def walk(node, function):
        for child in ast.iter_child_nodes(node):
            name = child.name if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef) else function
            if isinstance(child, ast.Assign | ast.AugAssign | ast.AnnAssign):
                targets = child.targets if isinstance(child, ast.Assign) else [child.target]
                for target in targets:
                    if isinstance(target, ast.Attribute) and target.attr in fields:
                        yield name, child.lineno, f"….{target.attr} = …"
                    if (
                        isinstance(target, ast.Subscript)
                        and isinstance(target.slice, ast.Constant)
                        and target.slice.value in fields
                    ):
                        yield name, child.lineno, f"…[{target.slice.value!r}] = …"
            if isinstance(child, ast.Call):
                func = child.func
                called = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
                if called == "setattr" and len(child.args) > 1:
                    arg = child.args[1]
                    if isinstance(arg, ast.Constant) and arg.value in fields:
                        yield name, child.lineno, "setattr(…, status, …)"
                if called in ("update", "update_or_create", "bulk_update") and any(
                    k.arg in fields for k in child.keywords
                ):
                    yield name, child.lineno, f".{called}(status=…)"
                if called in ("update", "update_or_create") and any(
                    isinstance(a, ast.List | ast.Tuple)
                    and any(isinstance(e, ast.Constant) and e.value in fields for e in a.elts)
                    for a in child.args
                ):
                    yield name, child.lineno, f".{called}([…status…])"
                if called in ("update_object", "upsert", "_upsert", "setdefault") and (
                    any(dict_has(a, fields) for a in child.args)
                    or any(dict_has(k.value, fields) for k in child.keywords)
                ):
                    yield name, child.lineno, f"{called}({{status: …}})"
                if (
                    called == "update"
                    and isinstance(func, ast.Attribute)
                    and any(dict_has(a, fields) for a in child.args)
                ):
                    yield name, child.lineno, "values.update({status: …})"
            yield from walk(child, name)

    yield from walk(tree, "<module>")


def test_only_the_machine_writes_a_status():
    fields = {m.field for m in _machines()}
    found, used = [], set()
    for path in sorted(SOURCE.rglob("*.py")):
        rel = path.relative_to(SOURCE).as_posix()
        if "tests" in path.parts or "migrations" in path.parts or rel == "core/workflow.py" or rel.startswith("trade/"):
            continue
        for function, line, what in _status_writes(ast.parse(path.read_text(encoding="utf-8")), fields):
            if (rel, function) in ALLOWED_WRITES:
                used.add((rel, function))
                continue
            found.append(f"{rel}:{line} in {function}: {what}")
    assert found == [], "write the status through serai.core.workflow.fire:\n" + "\n".join(found)
    assert used == set(ALLOWED_WRITES), f"no longer needed: {set(ALLOWED_WRITES) - used}"


def test_the_scan_finds_each_kind_of_write():
    """The scanner is not blind: each form of direct write is caught."""
    source = """
def f(obj, qs, values):
    obj.status = "x"
    setattr(obj, "status", "x")
    qs.update(status="x")
    values["status"] = "x"
    update_object(actor, obj, "a", {"status": "x"})
    values.update({"status": "x"})
    obj.title = "fine"
    qs.update(title="fine")
"""
    writes = list(_status_writes(ast.parse(source), {"status"}))
    assert [line for _f, line, _w in writes] == [3, 4, 5, 6, 7, 8]


@pytest.mark.parametrize("machine", _machines(), ids=repr)
def test_each_machine_refuses_every_undeclared_move(machine):
    model = apps.get_model(machine.model)
    statuses = [value for value, _label in model._meta.get_field(machine.field).choices]
    declared = machine.moves()
    assert declared, machine
    assert {s for pair in declared for s in pair} <= set(statuses), "a transition names an unknown status"
    for source, target in itertools.permutations(statuses, 2):
        obj = model(**{machine.field: source})
        if (source, target) in declared:
            assert machine.to(obj, target).target == target
            continue
        with pytest.raises(workflow.TransitionError):
            machine.to(obj, target)
        # and no transition fired from a status it does not start from gets past the machine
        for transition in machine.transitions:
            if source not in transition.sources:
                problems = machine.problems(None, obj, transition, workflow.Context())
                assert problems and "cannot be moved" in problems[0], (source, transition.name)


@pytest.mark.parametrize("machine", _machines(), ids=repr)
def test_every_transition_has_an_audit_label(machine):
    for transition in machine.transitions:
        code = machine.audit_action.format(name=transition.name)
        assert audit_labels.action_label(code) != code, code


def test_every_machine_names_a_known_permission_rule():
    from serai.access import permissions

    for machine in _machines():
        for transition in machine.transitions:
            assert transition.rule in permissions.RULES, (machine, transition.name, transition.rule)


def test_without_a_permission_checker_nothing_moves(monkeypatch):
    monkeypatch.setattr(workflow, "_checker", None)
    with pytest.raises(RuntimeError):
        workflow.may(None, "meeting.edit", None)
