"""Governance's status fields move only through their declared machines (issue 18): each move is
guarded, audited, and an undeclared one is refused with nothing changed."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from serai.core.i18n import TranslatedText
from serai.core.models import AuditEntry
from serai.core.workflow import TransitionError
from serai.governance import operations
from serai.governance.models import ActionItem, ActionUpdate, Meeting, WorkPlan


def t(text):
    return TranslatedText({"en": text}, source="en")


@pytest.fixture
def session(reference):
    return Meeting.objects.filter(body__kind="forum", status="held").order_by("-year").first()


def test_a_progress_update_is_audited_even_when_the_status_stays(roles, reference, session):
    sec = roles["secretariat"]
    action = operations.add_action(sec, session, t("Draft the roadmap"), owner=reference["states"]["KZ"])
    operations.update_action(sec, action, status="open", text="Met the ministry; nothing to move yet.")
    update = ActionUpdate.objects.get(action=action)
    entry = AuditEntry.objects.get(action="action.progress")
    assert entry.changes["text"]["after"] == "Met the ministry; nothing to move yet."
    assert entry.changes["status"]["after"] == "open"
    assert entry.object_id == str(update.pk)
    assert not AuditEntry.objects.filter(action__in=["action.update", "action.start"]).exists()
    # a move is audited as the transition, beside its progress row
    operations.update_action(sec, action, status="in_progress", text="Started.")
    assert AuditEntry.objects.filter(action="action.start").count() == 1
    assert AuditEntry.objects.filter(action="action.progress").count() == 2
    action.refresh_from_db()
    assert action.status == "in_progress" and action.version == 2


def test_an_undeclared_action_move_is_refused_and_nothing_is_written(roles, reference, session):
    sec = roles["secretariat"]
    action = operations.add_action(sec, session, t("Circulate"), owner=reference["states"]["KZ"])
    operations.update_action(sec, action, status="done", text="Circulated.")
    before = AuditEntry.objects.count()
    with pytest.raises(TransitionError):
        operations.update_action(sec, action, status="dropped", text="Changed our mind.")  # done → dropped
    action.refresh_from_db()
    assert action.status == "done" and ActionUpdate.objects.filter(action=action).count() == 1
    assert AuditEntry.objects.count() == before
    with pytest.raises(ValidationError):
        operations.update_action(sec, action, status="finished", text="?")  # no such status


def test_the_action_page_shows_a_refused_move_on_the_form(client, roles, reference, session):
    sec = roles["secretariat"]
    action = operations.add_action(sec, session, t("Circulate"), owner=reference["states"]["KZ"])
    operations.update_action(sec, action, status="dropped", text="Dropped.")
    client.force_login(sec)
    response = client.post(
        f"/en/actions/{action.pk}/update/", {"status": "done", "text": "Done after all."}, follow=True
    )
    assert response.status_code == 200 and "cannot become" in response.content.decode()  # said, not a 500
    action.refresh_from_db()
    assert action.status == "dropped"


def test_a_meeting_status_moves_through_its_machine(roles, reference):
    sec = roles["secretariat"]
    meeting = operations.create_meeting(sec, {"body": reference["bodies"]["economy"], "year": 2027, "number": 9})
    assert meeting.status == "planned"
    meeting = operations.update_meeting(sec, meeting, {"status": "cancelled"})
    assert meeting.status == "cancelled" and AuditEntry.objects.filter(action="meeting.cancel").exists()
    with pytest.raises(TransitionError):
        operations.update_meeting(sec, meeting, {"status": "held", "year": 2028})  # cancelled → held
    meeting.refresh_from_db()
    assert meeting.status == "cancelled" and meeting.year == 2027


def test_a_cancelled_meeting_cannot_adopt_a_work_plan_and_a_plan_is_adopted_once(roles, reference, session):
    sec = roles["secretariat"]
    plan = operations.create_work_plan(sec, 2031)
    operations.adopt_work_plan(sec, plan, session, on=dt.date(2031, 1, 1))
    plan.refresh_from_db()
    assert plan.status == "adopted" and AuditEntry.objects.filter(action="workplan.adopt").exists()
    with pytest.raises(ValidationError):
        operations.adopt_work_plan(sec, plan, session)
    assert WorkPlan.objects.get(pk=plan.pk).version == plan.version


def test_an_activity_status_is_refused_when_undeclared(roles, reference):
    sec = roles["secretariat"]
    plan = operations.create_work_plan(sec, 2032)
    area = operations.add_priority_area(sec, plan, t("Transport"))
    activity = operations.add_activity(sec, area, {"title": t("Study")})
    activity = operations.update_activity(sec, activity, {"status": "done"})
    assert AuditEntry.objects.filter(action="workplan.activity.complete").exists()
    with pytest.raises(TransitionError):
        operations.update_activity(sec, activity, {"status": "planned"})  # done → planned
    assert ActionItem.objects.count() == 0
