import datetime as dt
from decimal import Decimal

import pytest

from serai.access.models import Role
from serai.core.i18n import TranslatedText
from serai.projects import operations
from serai.projects.operations import SectorShare
from serai.projects.tests.helpers import add_indicator, approve_all, complete_appraisal
from serai.reference.models import CooperationField


@pytest.fixture
def roles(reference, make_user, make_org):
    states, bodies = reference["states"], reference["bodies"]
    partner = make_org("Partner Institute", country="KZ")
    return {
        "secretariat": make_user(Role.SECRETARIAT, username="sec"),
        "fp_kz": make_user(Role.FOCAL_POINT, states["KZ"], username="fp-kz"),
        "fp_uz": make_user(Role.FOCAL_POINT, states["UZ"], username="fp-uz"),
        "economy": make_user(Role.SUBCOMMITTEE_MEMBER, bodies["economy"], username="econ"),
        "social": make_user(Role.SUBCOMMITTEE_MEMBER, bodies["social-culture"], username="social"),
        "editor": make_user(Role.ORG_EDITOR, partner, username="org-editor"),
        "nobody": make_user(username="nobody"),
        "partner": partner,
    }


@pytest.fixture
def energy(reference):
    field = CooperationField.objects.get(code="energy")
    return field


@pytest.fixture
def make_project(reference, roles, energy):
    counter = {"n": 0}

    def factory(actor=None, countries=("KR", "KZ"), complete=True, **values):
        counter["n"] += 1
        states = reference["states"]
        base = {"title": TranslatedText({"en": f"Project {counter['n']}", "ru": f"Проект {counter['n']}"}, source="en")}
        if complete:
            base.update(
                summary=TranslatedText({"en": "A summary."}),
                subcommittee=reference["bodies"]["economy"],
                planned_start=dt.date(2026, 1, 1),
                planned_end=dt.date(2028, 12, 31),
            )
        base.update(values)
        sectors = [SectorShare(field=energy, percentage=Decimal(100))] if complete else []
        return operations.create_project(
            actor or roles["fp_kz"], base, countries=[states[c] for c in countries], sectors=sectors
        )

    return factory


@pytest.fixture
def walk(roles, reference):
    """walk(project, up_to_status) fires the happy path as the right roles."""
    from serai.governance.models import Meeting
    from serai.projects.models import Project

    session = Meeting.objects.filter(body__kind="forum", status="held").first()

    def go(project, until):
        order = [
            "submitted",
            "screening",
            "appraisal",
            "recommended",
            "endorsed",
            "implementation",
            "completed",
            "evaluated",
        ]
        steps = {
            "submitted": lambda p: operations.fire_transition(roles["fp_kz"], p, "submit"),
            "screening": lambda p: operations.fire_transition(roles["secretariat"], p, "screen"),
            "appraisal": lambda p: (
                operations.add_participation(roles["secretariat"], p, roles["partner"], "4"),
                operations.fire_transition(roles["secretariat"], p, "send_to_appraisal"),
            )[-1],
            "recommended": lambda p: (
                complete_appraisal(roles["economy"], p),
                operations.fire_transition(roles["economy"], p, "recommend"),
            )[-1],
            "endorsed": lambda p: operations.fire_transition(roles["secretariat"], p, "endorse", meeting=session),
            "implementation": lambda p: (
                add_indicator(roles["secretariat"], p),
                operations.fire_transition(roles["secretariat"], p, "start"),
            )[-1],
            "completed": lambda p: operations.fire_transition(roles["secretariat"], p, "complete"),
            "evaluated": lambda p: (
                approve_all(roles["secretariat"], p),
                operations.fire_transition(roles["secretariat"], p, "evaluate"),
            )[-1],
        }
        for status in order[: order.index(until) + 1]:
            project = steps[status](Project.objects.get(pk=project.pk))
        return Project.objects.get(pk=project.pk)

    return go
