"""Generation in the background: stored with the fingerprint of its inputs, made again only when
something it shows changed, claimed once, and requested only by those the rules allow."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from serai.access import permissions
from serai.access.models import Role
from serai.core.models import AuditEntry
from serai.reports import jobs, operations, workflow
from serai.reports.audience import parse
from serai.reports.models import GeneratedReport


def request(actor, meeting, audience="secretariat", fmt="docx", kind="briefing", language="en"):
    return operations.request_report(actor, meeting, kind=kind, fmt=fmt, language=language, audience=parse(audience))


@pytest.mark.django_db(transaction=True)
def test_generated_on_commit_and_stored_with_its_fingerprint(session, system):
    import docx

    report, queued = request(system, session["meeting"])
    report.refresh_from_db()
    assert queued and report.status == "done" and report.progress == 100
    path = jobs.path_of(report)
    assert path.is_file() and path.stat().st_size == report.size
    docx.Document(io.BytesIO(path.read_bytes()))
    assert report.inputs["pipeline"] == 5 and len(report.fingerprint) == 64
    assert AuditEntry.objects.filter(action="report.request", object_id=str(report.pk)).count() == 1


@pytest.mark.django_db(transaction=True)
def test_unchanged_inputs_give_the_stored_report_and_a_changed_project_a_new_one(session, system):
    first, _queued = request(system, session["meeting"])
    again, queued = request(system, session["meeting"])
    assert again.pk == first.pk and not queued
    assert GeneratedReport.objects.count() == 1

    project = session["projects"]["idea_uz"]
    project.title = {"values": {"en": "Renamed"}, "source": "en"}
    project.version += 1
    project.save()
    changed, queued = request(system, session["meeting"])
    assert queued and changed.pk != first.pk and changed.fingerprint != first.fingerprint
    changed.refresh_from_db()
    assert changed.status == "done"


@pytest.mark.django_db(transaction=True)
def test_a_change_the_audience_cannot_see_does_not_regenerate_its_pack(session, system):
    public, _queued = request(system, session["meeting"], audience="public")
    hidden = session["projects"]["idea_uz"]  # an idea: not public
    hidden.version += 1
    hidden.save()
    again, queued = request(system, session["meeting"], audience="public")
    assert again.pk == public.pk and not queued


@pytest.mark.django_db(transaction=True)
def test_each_language_and_audience_is_its_own_report(session, system):
    a, _ = request(system, session["meeting"], language="en")
    b, _ = request(system, session["meeting"], language="ko")
    c, _ = request(system, session["meeting"], audience="KZ")
    assert len({a.pk, b.pk, c.pk}) == 3 and len({a.fingerprint, b.fingerprint, c.fingerprint}) == 3


@pytest.mark.django_db
def test_a_report_is_claimed_once(session, system, settings):
    settings.SERAI_REPORTS_SYNC = False
    settings.SERAI_NOTIFY_SYNC = False
    report, _queued = request(system, session["meeting"])  # on_commit never runs in this test
    assert report.status == "queued"
    assert workflow.move(report.pk, "start") is True
    assert workflow.move(report.pk, "start") is False  # a second worker finds nothing to claim
    assert jobs.run_pending() == []
    assert workflow.move(report.pk, "fail", error="x") is True
    assert workflow.move(report.pk, "finish") is False  # failed → done is not a declared move


@pytest.mark.django_db
def test_run_pending_generates_each_queued_report_once(session, system, settings):
    settings.SERAI_REPORTS_SYNC = False
    settings.SERAI_NOTIFY_SYNC = False
    report, _queued = request(system, session["meeting"])
    assert jobs.run_pending() == [report.pk]
    assert jobs.run_pending() == []
    report.refresh_from_db()
    assert report.status == "done" and report.attempts == 1


@pytest.mark.django_db
def test_undeclared_moves_are_refused(session):
    with pytest.raises(workflow.UndeclaredMove):
        workflow.move(1, "publish")
    with pytest.raises(workflow.UndeclaredMove):
        workflow.move(1, "start", status="done")


@pytest.mark.django_db
def test_a_failure_is_recorded_and_can_be_retried(session, system, settings, monkeypatch):
    settings.SERAI_REPORTS_SYNC = False
    settings.SERAI_NOTIFY_SYNC = False
    report, _queued = request(system, session["meeting"])

    def broken(*args, **kwargs):
        raise RuntimeError("layout broke\nsecond line")

    monkeypatch.setattr(jobs.render, "briefing_docx", broken)
    jobs.run_pending()
    report.refresh_from_db()
    assert report.status == "failed" and report.error == "layout broke"
    monkeypatch.undo()
    again, queued = request(system, session["meeting"])
    assert again.pk == report.pk and queued
    jobs.run_pending()
    again.refresh_from_db()
    assert again.status == "done"


@pytest.mark.django_db
def test_stale_claims_are_queued_again(session, system, settings):
    import datetime as dt

    from django.utils import timezone

    settings.SERAI_REPORTS_SYNC = False
    settings.SERAI_NOTIFY_SYNC = False
    report, _queued = request(system, session["meeting"])
    workflow.move(report.pk, "start", started_at=timezone.now() - dt.timedelta(hours=1))
    assert jobs.requeue_stale() == 1
    report.refresh_from_db()
    assert report.status == "queued"


# --- who may generate and download --------------------------------------------------------------
@pytest.mark.django_db
def test_focal_point_generates_for_their_own_delegation_only(session, make_user, settings):
    settings.SERAI_REPORTS_SYNC = False
    settings.SERAI_NOTIFY_SYNC = False
    fp_kz = make_user(Role.FOCAL_POINT, session["states"]["KZ"])
    report, _queued = request(fp_kz, session["meeting"], audience="KZ")
    assert report.audience_country.iso2 == "KZ"
    for audience in ("UZ", "public", "secretariat"):
        with pytest.raises(PermissionDenied):
            request(fp_kz, session["meeting"], audience=audience)
    for user in (make_user(), make_user(Role.SUBCOMMITTEE_MEMBER, session["bodies"]["economy"])):
        with pytest.raises(PermissionDenied):
            request(user, session["meeting"], audience="public")


@pytest.mark.django_db
def test_bad_choices_name_the_field(session, system):
    with pytest.raises(ValidationError) as caught:
        operations.request_report(
            system, session["meeting"], kind="x", fmt="odt", language="xx", audience=parse("public")
        )
    assert set(caught.value.message_dict) == {"kind", "format", "language"}


@pytest.mark.django_db
def test_report_visibility_query_agrees_with_the_rule(session, system, make_user, settings):
    from django.contrib.auth.models import AnonymousUser

    settings.SERAI_REPORTS_SYNC = False
    settings.SERAI_NOTIFY_SYNC = False
    for audience in ("public", "secretariat", "KZ", "UZ"):
        request(system, session["meeting"], audience=audience)
    users = [
        AnonymousUser(),
        make_user(),
        make_user(Role.SECRETARIAT),
        make_user(Role.FOCAL_POINT, session["states"]["KZ"]),
        make_user(Role.SUBCOMMITTEE_MEMBER, session["bodies"]["economy"]),
    ]
    for user in users:
        by_q = set(GeneratedReport.objects.filter(permissions.report_visibility_q(user)).values_list("pk", flat=True))
        by_rule = {r.pk for r in GeneratedReport.objects.all() if permissions.can(user, "report.view", r)}
        assert by_q == by_rule


# --- pages ----------------------------------------------------------------------------------------
@pytest.mark.django_db(transaction=True)
def test_page_generates_polls_and_downloads(session, make_user, client):
    staff = make_user(Role.SECRETARIAT)
    client.force_login(staff)
    url = f"/en/reports/meetings/{session['meeting'].pk}/"
    assert client.get(url).status_code == 200
    response = client.post(url, {"kind": "briefing", "format": "docx", "language": "ko", "audience": "KZ"})
    assert response.status_code == 302
    report = GeneratedReport.objects.get()
    status = client.get(f"/en/reports/{report.pk}/status/")
    assert status.status_code == 200 and "Download" in status.content.decode()
    download = client.get(f"/en/reports/{report.pk}/download/")
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment;") and ".docx" in download["Content-Disposition"]
    assert b"".join(download.streaming_content)[:2] == b"PK"


@pytest.mark.django_db
def test_page_refuses_an_audience_not_offered_with_a_form_error(session, make_user, client, settings):
    settings.SERAI_REPORTS_SYNC = False
    settings.SERAI_NOTIFY_SYNC = False
    fp_kz = make_user(Role.FOCAL_POINT, session["states"]["KZ"])
    client.force_login(fp_kz)
    url = f"/en/reports/meetings/{session['meeting'].pk}/"
    response = client.post(url, {"kind": "briefing", "format": "pdf", "language": "en", "audience": "UZ"})
    assert response.status_code == 400 and "audience" in response.context["form"].errors
    assert not GeneratedReport.objects.exists()


@pytest.mark.django_db
def test_other_delegations_reports_are_not_found(session, system, make_user, client, settings):
    settings.SERAI_REPORTS_SYNC = False
    settings.SERAI_NOTIFY_SYNC = False
    report, _queued = request(system, session["meeting"], audience="UZ")
    client.force_login(make_user(Role.FOCAL_POINT, session["states"]["KZ"]))
    assert client.get(f"/en/reports/{report.pk}/status/").status_code == 404
    assert client.get(f"/en/reports/{report.pk}/download/").status_code == 404
    client.logout()
    assert client.post(f"/en/reports/meetings/{session['meeting'].pk}/", {"kind": "briefing"}).status_code == 403


@pytest.mark.django_db
def test_reports_page_runs_a_constant_number_of_queries(session, system, make_user, client, settings):
    settings.SERAI_REPORTS_SYNC = False
    settings.SERAI_NOTIFY_SYNC = False
    client.force_login(make_user(Role.SECRETARIAT))
    url = f"/en/reports/meetings/{session['meeting'].pk}/"
    request(system, session["meeting"], audience="KZ")
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        first = client.get(url)
    for audience in ("UZ", "public", "secretariat"):
        request(system, session["meeting"], audience=audience, language="ru")
    with CaptureQueriesContext(connection) as more:
        second = client.get(url)
    assert len(more) == len(few)
    assert second.content.decode().count('id="report-') == 4 and first.content.decode().count('id="report-') == 1
