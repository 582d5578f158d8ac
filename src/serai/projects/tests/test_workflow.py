import pytest
from django.core.exceptions import PermissionDenied

from serai.access import permissions
from serai.core import audit
from serai.core.models import AuditEntry
from serai.governance.models import Meeting
from serai.projects import operations, workflow
from serai.projects.models import Project, ProjectTransition, Status
from serai.projects.tests.helpers import add_indicator, approve_all, complete_appraisal
from serai.projects.workflow import TransitionError

pytestmark = pytest.mark.django_db


def test_happy_path_from_idea_to_evaluated_is_timelined_and_audited(make_project, walk):
    project = make_project()
    assert project.status == Status.IDEA and project.scope == "bilateral"
    project = walk(project, "evaluated")
    assert project.status == Status.EVALUATED
    assert project.endorsed_at is not None and project.actual_start and project.actual_end
    names = list(ProjectTransition.objects.filter(project=project).values_list("name", flat=True))
    assert names == ["submit", "screen", "send_to_appraisal", "recommend", "endorse", "start", "complete", "evaluate"]
    actions = set(audit.entries_for(project).values_list("action", flat=True))
    assert {f"project.transition.{n}" for n in names} <= actions


def test_every_declared_transition_is_fired_somewhere_in_this_module():
    source = open(__file__).read()
    walked = {"submit", "screen", "send_to_appraisal", "recommend", "endorse", "start", "complete", "evaluate"}
    for t in workflow.TRANSITIONS:
        assert t.name in walked or f'"{t.name}"' in source, t.name


def test_illegal_transition_is_refused_with_a_clear_error_and_changes_nothing(make_project, roles):
    project = make_project()
    entries = AuditEntry.objects.count()
    with pytest.raises(TransitionError) as exc:
        operations.fire_transition(roles["secretariat"], project, "endorse")
    assert "cannot be moved" in str(exc.value)
    project.refresh_from_db()
    assert project.status == Status.IDEA and project.version == 1
    assert AuditEntry.objects.count() == entries and not ProjectTransition.objects.exists()
    with pytest.raises(TransitionError):
        operations.fire_transition(roles["secretariat"], project, "no_such_transition")


def test_submit_guard_lists_what_is_missing(make_project, roles):
    project = make_project(complete=False)
    with pytest.raises(TransitionError) as exc:
        operations.fire_transition(roles["fp_kz"], project, "submit")
    text = " ".join(exc.value.problems)
    assert "summary" in text and "subcommittee" in text and "planned start" in text and "DAC" in text


def test_send_to_appraisal_needs_a_participant(make_project, walk, roles):
    project = walk(make_project(), "screening")
    with pytest.raises(TransitionError) as exc:
        operations.fire_transition(roles["secretariat"], project, "send_to_appraisal")
    assert "participating organisation" in exc.value.problems[0]


def test_recommend_needs_a_completed_appraisal_with_every_score(make_project, walk, roles):
    project = walk(make_project(), "appraisal")
    operations.save_appraisal(roles["economy"], project, {"relevance": 5}, completed=False)
    with pytest.raises(TransitionError) as exc:
        operations.fire_transition(roles["economy"], project, "recommend")
    assert "appraisal" in exc.value.problems[0]
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        operations.save_appraisal(roles["economy"], project, {"relevance": 5}, completed=True)
    with pytest.raises(ValidationError):
        operations.save_appraisal(roles["economy"], project, {"relevance": 9})
    with pytest.raises(PermissionDenied):
        operations.save_appraisal(roles["social"], project, {"relevance": 3})


def test_endorse_needs_a_forum_session_that_was_not_cancelled(make_project, walk, roles, reference):
    project = walk(make_project(), "recommended")
    with pytest.raises(TransitionError):
        operations.fire_transition(roles["secretariat"], project, "endorse")
    cancelled = Meeting.objects.create(body=reference["bodies"]["forum"], number=77, year=2031, status="cancelled")
    with pytest.raises(TransitionError) as exc:
        operations.fire_transition(roles["secretariat"], project, "endorse", meeting=cancelled)
    assert "cancelled" in exc.value.problems[0]
    som = Meeting.objects.create(body=reference["bodies"]["som"], number=1, year=2026, status="held")
    with pytest.raises(TransitionError):
        operations.fire_transition(roles["secretariat"], project, "endorse", meeting=som)


def test_start_needs_an_indicator_and_evaluate_needs_approved_updates(make_project, walk, roles):
    project = walk(make_project(), "endorsed")
    with pytest.raises(TransitionError) as exc:
        operations.fire_transition(roles["secretariat"], project, "start")
    assert "indicator" in exc.value.problems[0]
    add_indicator(roles["secretariat"], project)
    project = operations.fire_transition(roles["secretariat"], project, "start")
    project = operations.fire_transition(roles["secretariat"], project, "complete")
    with pytest.raises(TransitionError) as exc:
        operations.fire_transition(roles["secretariat"], project, "evaluate")
    assert "approved update" in exc.value.problems[0]


@pytest.mark.parametrize(
    "name,status", [("return", "screening"), ("decline", "screening"), ("suspend", "implementation")]
)
def test_reason_is_required_for_return_decline_and_suspend(make_project, walk, roles, name, status):
    project = walk(make_project(), status)
    with pytest.raises(TransitionError) as exc:
        operations.fire_transition(roles["secretariat"], project, name, reason="  ")
    assert "reason" in " ".join(exc.value.problems).lower()
    moved = operations.fire_transition(roles["secretariat"], project, name, reason="Budget not confirmed.")
    assert moved.transitions.last().reason == "Budget not confirmed."
    assert audit.entries_for(moved).first().reason == "Budget not confirmed."


def test_returned_project_is_revised_and_resubmitted(make_project, walk, roles):
    project = walk(make_project(), "screening")
    project = operations.fire_transition(roles["secretariat"], project, "return", reason="Add a partner.")
    assert project.status == Status.RETURNED
    project = operations.fire_transition(roles["fp_kz"], project, "submit")
    assert project.status == Status.SUBMITTED


def test_suspended_project_resumes(make_project, walk, roles):
    project = walk(make_project(), "implementation")
    project = operations.fire_transition(roles["secretariat"], project, "suspend", reason="Flooding on site.")
    assert project.is_public  # still public while suspended
    project = operations.fire_transition(roles["secretariat"], project, "resume")
    assert project.status == Status.IMPLEMENTATION


def test_withdraw_by_the_proponent(make_project, roles):
    project = make_project()
    project = operations.fire_transition(roles["fp_kz"], project, "withdraw")
    assert project.status == Status.WITHDRAWN
    with pytest.raises(PermissionDenied):
        operations.update_project(roles["fp_kz"], project, {"tags": ["late edit"]})


# Who may fire what: (transition, status to bring the project to, roles that may, roles that may not)
WHO = [
    ("submit", None, ["fp_kz", "secretariat"], ["fp_uz", "economy", "nobody", "editor"]),
    ("screen", "submitted", ["secretariat"], ["fp_kz", "economy"]),
    ("send_to_appraisal", "screening", ["secretariat"], ["fp_kz", "economy"]),
    ("recommend", "appraisal", ["economy", "secretariat"], ["social", "fp_kz"]),
    ("endorse", "recommended", ["secretariat"], ["economy", "fp_kz"]),
    ("start", "endorsed", ["secretariat", "fp_kz_creator"], ["economy", "fp_uz"]),
    ("complete", "implementation", ["secretariat"], ["economy", "fp_uz"]),
    ("evaluate", "completed", ["secretariat"], ["fp_kz", "economy"]),
    ("decline", "screening", ["secretariat"], ["fp_kz", "economy"]),
    ("return", "appraisal", ["economy", "secretariat"], ["social", "fp_kz"]),
    ("suspend", "implementation", ["secretariat"], ["fp_kz"]),
    ("resume", "suspended", ["secretariat"], ["fp_kz"]),
    ("withdraw", "submitted", ["fp_kz", "secretariat"], ["fp_uz", "economy"]),
]


@pytest.mark.parametrize("name,status,allowed,refused", WHO, ids=[w[0] for w in WHO])
def test_who_may_fire_each_transition(make_project, walk, roles, name, status, allowed, refused):
    assert {w[0] for w in WHO} == {t.name for t in workflow.TRANSITIONS}
    project = make_project()
    if status == "suspended":
        project = walk(project, "implementation")
        project = operations.fire_transition(roles["secretariat"], project, "suspend", reason="x")
    elif status:
        project = walk(project, status)
    if name == "start":
        add_indicator(roles["secretariat"], project)
    if name == "evaluate":
        approve_all(roles["secretariat"], project)
    if name == "send_to_appraisal":
        operations.add_participation(roles["secretariat"], project, roles["partner"], "4")
    if name == "recommend":
        complete_appraisal(roles["economy"], project, score=3)
    project = Project.objects.get(pk=project.pk)
    transition = workflow.get(name)
    for key in refused:
        assert not permissions.can(roles[key], transition.rule, project), key
        with pytest.raises(TransitionError):
            operations.fire_transition(roles[key], project, name, reason="r")
    user = roles["fp_kz"] if allowed[0] == "fp_kz_creator" else roles[allowed[0]]
    meeting = Meeting.objects.filter(body__kind="forum", status="held").first() if name == "endorse" else None
    moved = operations.fire_transition(user, project, name, reason="r", meeting=meeting)
    assert moved.status == transition.target
