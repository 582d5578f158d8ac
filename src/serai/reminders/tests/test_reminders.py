"""Reminders before a due date and when overdue, the weekly digest, each sent once; opt-outs."""

import datetime as dt
import re

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import translation

from serai.core.audit import SystemActor
from serai.core.i18n import TranslatedText
from serai.core.models import AuditEntry
from serai.governance import operations as governance
from serai.governance.models import Meeting
from serai.reminders import operations, queries
from serai.reminders.models import Reminder, ReminderKind
from serai.workspace import operations as workspace
from serai.workspace.models import Notification

TODAY = dt.date(2026, 12, 2)  # a Wednesday
SYSTEM = SystemActor("tests")


@pytest.fixture
def people(roles):
    for key in ("secretariat", "fp_kz", "fp_uz", "economy", "editor"):
        roles[key].email = f"{roles[key].username}@example.org"
        roles[key].save(update_fields=["email"])
    return roles


@pytest.fixture(autouse=True)
def no_digest(settings):
    settings.SERAI_DIGEST_WEEKDAY = 7  # no weekday reaches it: the digest test sets its own
    return settings


@pytest.fixture
def meeting(reference):
    return Meeting.objects.filter(body__kind="forum", status="held").first()


def add(roles, meeting, owner, due, title="Send the rail study"):
    return governance.add_action(
        roles["secretariat"],
        meeting,
        TranslatedText({"en": title, "ru": "Отправить исследование"}),
        owner=owner,
        due_date=due,
    )


def run(capture, today=TODAY):
    with capture(execute=True):
        return operations.send_reminders(SYSTEM, today=today)


def reminders_of(user, kind):
    return list(Notification.objects.filter(recipient=user, kind=kind))


def test_thresholds_take_the_smallest_one_reached():
    assert queries.threshold(9, [7, 1]) is None
    assert queries.threshold(7, [7, 1]) == 7
    assert queries.threshold(5, [7, 1]) == 7  # the job missed the 7-day day: the 7-day reminder, late
    assert queries.threshold(1, [7, 1]) == 1
    assert queries.threshold(0, [7, 1]) == 1  # due today
    assert queries.threshold(-1, [7, 1]) is None  # overdue is another kind


def test_a_reminder_before_the_due_date_is_sent_once_by_e_mail_and_in_the_app(
    people, reference, meeting, django_capture_on_commit_callbacks
):
    action = add(people, meeting, reference["states"]["KZ"], TODAY + dt.timedelta(days=7))
    Notification.objects.all().delete()
    mail.outbox.clear()
    first = run(django_capture_on_commit_callbacks)
    second = run(django_capture_on_commit_callbacks)
    assert (first.due_soon, second.due_soon) == (1, 0)
    rows = reminders_of(people["fp_kz"], "action.due_soon")
    assert len(rows) == 1 and len(mail.outbox) == 1
    assert mail.outbox[0].to == ["fp-kz@example.org"]
    assert "Send the rail study" in mail.outbox[0].subject and "is due on Dec. 9, 2026" in mail.outbox[0].subject
    assert reminders_of(people["fp_uz"], "action.due_soon") == []  # not theirs
    assert Reminder.objects.get().action == action
    assert AuditEntry.objects.filter(action="reminder.send").count() == 1
    # six days later the 1-day reminder goes, once
    assert run(django_capture_on_commit_callbacks, TODAY + dt.timedelta(days=6)).due_soon == 1
    assert run(django_capture_on_commit_callbacks, TODAY + dt.timedelta(days=6)).due_soon == 0
    assert len(reminders_of(people["fp_kz"], "action.due_soon")) == 2 and len(mail.outbox) == 2


def test_an_overdue_action_is_told_once_and_a_new_due_date_is_a_new_reminder(
    people, reference, meeting, django_capture_on_commit_callbacks
):
    action = add(people, meeting, reference["states"]["KZ"], TODAY - dt.timedelta(days=1))
    old = add(people, meeting, reference["states"]["KZ"], TODAY - dt.timedelta(days=200), title="Long forgotten")
    Notification.objects.all().delete()
    report = run(django_capture_on_commit_callbacks)
    assert report.overdue == 1 and run(django_capture_on_commit_callbacks).overdue == 0
    (row,) = reminders_of(people["fp_kz"], "action.overdue")
    with translation.override("ru"):
        from serai.workspace.kinds import render

        assert "Отправить исследование" in render(row.kind, row.params, "ru")
    assert not Reminder.objects.filter(action=old).exists()  # beyond the window: left to the digest
    # the due date moves: a new reminder when the new date passes
    action.due_date = TODAY + dt.timedelta(days=10)
    action.save()
    later = TODAY + dt.timedelta(days=11)
    assert run(django_capture_on_commit_callbacks, later).overdue == 1
    # a done action is not reminded
    governance.update_action(people["fp_kz"], action, status="done", text="Sent.")
    assert run(django_capture_on_commit_callbacks, TODAY + dt.timedelta(days=12)).overdue == 0


def test_a_claim_taken_elsewhere_sends_nothing(people, reference, meeting, django_capture_on_commit_callbacks):
    """What a concurrent run sees: the key is taken (its row is committed, or it waits for it)."""
    action = add(people, meeting, reference["states"]["KZ"], TODAY + dt.timedelta(days=1))
    Notification.objects.all().delete()
    Reminder.objects.create(kind=ReminderKind.DUE_SOON, days_before=1, action=action, due_date=action.due_date)
    mail.outbox.clear()
    assert run(django_capture_on_commit_callbacks).due_soon == 0
    assert reminders_of(people["fp_kz"], "action.due_soon") == [] and mail.outbox == []


def test_opting_out_of_a_kind_stops_it_in_the_app_and_by_e_mail(
    people, reference, meeting, django_capture_on_commit_callbacks
):
    pref = workspace.set_preference(people["fp_kz"], language="en", email=True, remind_due=False)
    pref.refresh_from_db()
    assert (pref.remind_due, pref.remind_overdue) == (False, True)
    add(people, meeting, reference["states"]["KZ"], TODAY + dt.timedelta(days=1))
    add(people, meeting, reference["states"]["KZ"], TODAY - dt.timedelta(days=1), title="Late")
    Notification.objects.all().delete()
    mail.outbox.clear()
    run(django_capture_on_commit_callbacks)
    assert reminders_of(people["fp_kz"], "action.due_soon") == []
    assert len(reminders_of(people["fp_kz"], "action.overdue")) == 1


def test_the_weekly_digest_lists_my_actions_and_meetings_once_a_week(
    people, reference, meeting, django_capture_on_commit_callbacks, no_digest
):
    no_digest.SERAI_DIGEST_WEEKDAY = 0  # from Monday on
    add(people, meeting, reference["states"]["KZ"], TODAY - dt.timedelta(days=3), title="Late study")
    add(people, meeting, reference["states"]["KZ"], TODAY + dt.timedelta(days=30), title="Later study")
    workspace.set_preference(people["fp_uz"], language="en", email=True, weekly_digest=False)
    add(people, meeting, reference["states"]["UZ"], TODAY + dt.timedelta(days=30), title="Uzbek study")
    Notification.objects.all().delete()
    mail.outbox.clear()
    report = run(django_capture_on_commit_callbacks)
    (digest,) = reminders_of(people["fp_kz"], "digest.weekly")
    assert digest.params["open"] == 2 and digest.params["overdue"] == 1
    body = next(m.body for m in mail.outbox if m.to == ["fp-kz@example.org"] and "Your week" in m.subject)
    assert "• Late study" in body and "• Later study" in body
    assert reminders_of(people["fp_uz"], "digest.weekly") == []  # switched off
    assert report.digests >= 1
    # the same week again (Thursday): nothing; next Monday: a new one
    assert run(django_capture_on_commit_callbacks, TODAY + dt.timedelta(days=1)).digests == 0
    assert run(django_capture_on_commit_callbacks, dt.date(2026, 12, 7)).digests >= 1
    assert len(reminders_of(people["fp_kz"], "digest.weekly")) == 2


def test_the_command_runs_twice_and_sends_once(people, reference, meeting, capsys):
    add(people, meeting, reference["states"]["KZ"], TODAY + dt.timedelta(days=7))
    Notification.objects.all().delete()
    mail.outbox.clear()
    call_command("sendreminders", "--date", TODAY.isoformat())
    call_command("sendreminders", "--date", TODAY.isoformat())
    assert len(reminders_of(people["fp_kz"], "action.due_soon")) == 1
    assert "before due 1," in capsys.readouterr().out


def test_only_the_system_or_the_secretariat_sends_reminders(people):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        operations.send_reminders(people["fp_kz"], today=TODAY)


def test_the_reminder_switches_are_on_the_preferences_form_and_saved(people):
    from django.test import Client

    from serai.workspace.queries import preference

    client = Client()
    client.force_login(people["fp_kz"])
    page = client.get("/en/my/").content.decode()
    for name in ("remind_due", "remind_overdue", "weekly_digest"):
        assert f'name="{name}"' in page and re.search(rf'name="{name}"[^>]*checked', page), name  # on by default
    assert 'href="/en/my/calendar/"' in page
    response = client.post("/en/my/", {"language": "en", "email": "on", "remind_overdue": "on", "weekly_digest": "on"})
    assert response.status_code == 302
    pref = preference(people["fp_kz"])
    assert (pref.remind_due, pref.remind_overdue, pref.weekly_digest) == (False, True, True)
    assert AuditEntry.objects.filter(action="preference.create").exists()


@pytest.mark.django_db(transaction=True)
def test_a_concurrent_run_waits_for_the_claim_and_sends_nothing_twice(people, reference, meeting):
    """Two processes at once (PostgreSQL): run A has claimed the reminder and not yet committed;
    run B blocks on the claim's unique key, then finds it taken. One notification, one e-mail."""
    import threading

    from django.db import connection, transaction

    if connection.vendor != "postgresql":
        pytest.skip("concurrent connections need PostgreSQL")
    action = add(people, meeting, reference["states"]["KZ"], TODAY + dt.timedelta(days=1))
    Notification.objects.all().delete()
    mail.outbox.clear()
    claimed, release, results = threading.Event(), threading.Event(), {}

    def run_a():
        try:
            with transaction.atomic():
                results["a"] = operations._action_reminder(SYSTEM, action, ReminderKind.DUE_SOON, 1)
                claimed.set()
                release.wait(30)
        finally:
            connection.close()

    def run_b():
        try:
            results["b"] = operations.send_reminders(SYSTEM, today=TODAY).due_soon
        finally:
            connection.close()

    a = threading.Thread(target=run_a)
    a.start()
    assert claimed.wait(30)
    b = threading.Thread(target=run_b)
    b.start()
    b.join(1)  # B is blocked on A's uncommitted key (or has not reached it yet)
    release.set()
    a.join(30)
    b.join(30)
    assert results == {"a": 1, "b": 0}
    assert Notification.objects.filter(kind="action.due_soon").count() == 1
    assert [m.to for m in mail.outbox if "Reminder" in m.subject] == [["fp-kz@example.org"]]


def test_sending_reminders_leaves_the_public_pages_cached(
    people, reference, meeting, django_capture_on_commit_callbacks
):
    """A reminder changes nothing a public page shows: its audit entry does not move the cache's version."""
    from serai.core import pagecache

    add(people, meeting, reference["states"]["KZ"], TODAY + dt.timedelta(days=1))
    version = pagecache.content_version()
    assert run(django_capture_on_commit_callbacks).due_soon == 1
    assert AuditEntry.objects.filter(action="reminder.send").exists()
    assert pagecache.content_version() == version
