"""A Forum session to brief: the previous session's decisions and actions, projects in every
visibility, agenda items with documents, and a small synthetic trade store."""

from __future__ import annotations

import datetime as dt

import pytest

from serai.evidence.tests.helpers import build_store


@pytest.fixture(scope="session")
def trade_root(tmp_path_factory):
    root = tmp_path_factory.mktemp("reports-trade")
    build_store(root)
    return root / "store"


@pytest.fixture
def reports_settings(settings, tmp_path, trade_root):
    settings.SERAI_TRADE_DIR = trade_root
    settings.SERAI_REPORTS_DIR = tmp_path / "generated"
    settings.SERAI_REPORTS_SYNC = True
    return settings


def _t(en, ko=None, ru=None):
    values = {"en": en}
    if ko:
        values["ko"] = ko
    if ru:
        values["ru"] = ru
    return {"values": values, "source": "en"}


def make_project(code, status, states, *, subcommittee=None, title=None, field=None, **extra):
    from serai.projects.models import Project, ProjectCountry, ProjectSector

    project = Project.objects.create(
        code=code,
        title=title or _t(f"Project {code}", f"사업 {code}", f"Проект {code}"),
        summary=_t(f"Summary of {code}"),
        status=status,
        subcommittee=subcommittee,
        **extra,
    )
    for state in states:
        ProjectCountry.objects.create(project=project, member_state=state)
    if field is not None:
        ProjectSector.objects.create(project=project, field=field, percentage=100)
    return project


@pytest.fixture
def session(reference, reports_settings, system):
    """A planned Forum session after a held one of the same body."""
    from serai.governance.models import ActionItem, AgendaItem, Decision, Meeting, MeetingDocument
    from serai.projects.models import Appraisal
    from serai.reference.models import CooperationField

    states = reference["states"]
    bodies = reference["bodies"]
    forum = bodies["forum"]
    energy = CooperationField.objects.get(code="energy")
    previous = Meeting.objects.create(body=forum, number=90, year=2030, status="held", start_date=dt.date(2030, 10, 1))
    meeting = Meeting.objects.create(
        body=forum, number=91, year=2031, status="planned", start_date=dt.date(2031, 10, 1)
    )
    item = AgendaItem.objects.create(meeting=meeting, order=1, title=_t("Opening", "개회", "Открытие"))
    AgendaItem.objects.create(meeting=meeting, order=2, title=_t("Endorsement of projects"))
    doc = {"meeting": meeting, "file": "x.pdf", "filename": "x.pdf", "sha256": "0" * 64}
    MeetingDocument.objects.create(**doc, agenda_item=item, title=_t("Chair's note DOC-PUBLIC"), is_public=True)
    MeetingDocument.objects.create(**doc, agenda_item=item, title=_t("Internal note DOC-INTERNAL"), is_public=False)

    projects = {
        "public": make_project("P-ENDORSED", "endorsed", [states["KR"], states["KZ"]], field=energy),
        "recommended_kz": make_project(
            "P-REC-KZ", "recommended", [states["KR"], states["KZ"]], subcommittee=bodies["economy"], field=energy
        ),
        "idea_kz": make_project("P-IDEA-KZ", "idea", [states["KR"], states["KZ"]], field=energy),
        "idea_uz": make_project("P-IDEA-UZ", "idea", [states["KR"], states["UZ"]]),
        "appraisal_uz": make_project("P-APPR-UZ", "appraisal", [states["UZ"]], subcommittee=bodies["economy"]),
    }
    projects["recommended_kz"].trade_evidence = {
        "kind": "untapped-potential",
        "exporter": "KOR",
        "market": "KAZ",
        "year": 2020,
        "code": "8703",
        "level": "hs4",
        "row": {"untapped": 1234.5, "potential": 2000.0, "actual": 765.5},
        "dataset": "SYN",
        "synthetic": True,
    }
    projects["recommended_kz"].save()
    Appraisal.objects.create(
        project=projects["recommended_kz"],
        scores={
            k: 4 for k in ("relevance", "feasibility", "multilateral_value", "helix", "sustainability", "evidence")
        },
        completed=True,
    )
    decision = Decision.objects.create(
        meeting=previous, number=1, text=_t("The Forum agreed DECISION-ADOPTED."), status="adopted"
    )
    Decision.objects.create(meeting=previous, number=2, text=_t("Draft DECISION-DRAFT."), status="draft")
    ActionItem.objects.create(
        meeting=previous, decision=decision, title=_t("Study ACTION-KZ"), owner_country=states["KZ"], status="done"
    )
    ActionItem.objects.create(
        meeting=previous, decision=decision, title=_t("Survey ACTION-UZ"), owner_country=states["UZ"]
    )
    return {"meeting": meeting, "previous": previous, "projects": projects, "states": states, "bodies": bodies}
