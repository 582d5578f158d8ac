"""Minutes: revisions with author and time, draft → circulated → amended → adopted (locked),
edit conflicts detected (and merged where the two edits touch different languages)."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from serai.core.i18n import TranslatedText
from serai.core.models import AuditEntry
from serai.core.workflow import TransitionError
from serai.governance import operations
from serai.governance.models import Meeting, Minutes, MinutesRevision


def t(en, ru=None):
    return TranslatedText({"en": en, **({"ru": ru} if ru else {})}, source="en")


@pytest.fixture
def meeting(reference):
    return Meeting.objects.filter(body__kind="forum", status="held").order_by("-year").first()


def test_the_minutes_lifecycle_keeps_every_revision_and_locks_on_adoption(roles, meeting):
    sec = roles["secretariat"]
    minutes = operations.save_minutes(sec, meeting, t("1. Opening."), base_revision=0, note="first draft")
    minutes = operations.save_minutes(sec, meeting, t("1. Opening.\n2. Transport."), base_revision=1)
    assert (minutes.status, minutes.revision) == ("draft", 2)
    minutes = operations.move_minutes(sec, minutes, "circulate")
    assert minutes.status == "circulated"
    # a change after circulation amends the minutes
    minutes = operations.save_minutes(
        sec, meeting, t("1. Opening.\n2. Transport and logistics."), base_revision=2, note="Kazakhstan's correction"
    )
    assert (minutes.status, minutes.revision) == ("amended", 3)
    minutes = operations.move_minutes(sec, minutes, "circulate")
    minutes = operations.move_minutes(sec, minutes, "adopt")
    assert minutes.status == "adopted" and minutes.adopted_on is not None
    with pytest.raises(ValidationError, match="locked"):
        operations.save_minutes(sec, meeting, t("Changed afterwards."), base_revision=3)
    with pytest.raises(TransitionError):
        operations.move_minutes(sec, minutes, "circulate")
    revisions = list(MinutesRevision.objects.filter(minutes=minutes).order_by("number"))
    assert [r.number for r in revisions] == [1, 2, 3]
    # each revision shows the last status its text had: 2 was circulated, then amended by 3, which was adopted
    assert [r.status for r in revisions] == ["draft", "circulated", "adopted"]
    assert revisions[0].text.get("en") == "1. Opening." and revisions[0].note == "first draft"
    assert all(r.author_id == sec.pk and r.created_at for r in revisions)
    minutes.refresh_from_db()
    assert minutes.text.get("en") == "1. Opening.\n2. Transport and logistics."
    logged = set(AuditEntry.objects.filter(action__startswith="minutes.").values_list("action", flat=True))
    assert {"minutes.create", "minutes.save", "minutes.circulate", "minutes.amend", "minutes.adopt"} <= logged


def test_empty_minutes_cannot_be_circulated_and_a_planned_meeting_adopts_no_minutes(roles, reference):
    sec = roles["secretariat"]
    planned = Meeting.objects.create(body=reference["bodies"]["forum"], number=40, year=2027, status="planned")
    minutes = Minutes.objects.create(meeting=planned)
    with pytest.raises(TransitionError, match="no text"):
        operations.move_minutes(sec, minutes, "circulate")
    minutes = operations.save_minutes(sec, planned, t("Draft."), base_revision=0)
    minutes = operations.move_minutes(sec, minutes, "circulate")
    with pytest.raises(TransitionError, match="held"):
        operations.move_minutes(sec, minutes, "adopt")


def test_a_concurrent_edit_of_the_same_language_is_a_conflict_and_nothing_is_lost(roles, meeting):
    sec = roles["secretariat"]
    operations.save_minutes(sec, meeting, t("Opening."), base_revision=0)
    # Both editors opened revision 1; the first saves.
    operations.save_minutes(sec, meeting, t("Opening by the chair."), base_revision=1)
    with pytest.raises(operations.MinutesConflict) as caught:
        operations.save_minutes(sec, meeting, t("Opening by the co-chairs."), base_revision=1)
    conflict = caught.value
    assert conflict.languages == ["en"] and conflict.base_revision == 1
    assert conflict.yours.get("en") == "Opening by the co-chairs."  # the second editor's text is kept
    minutes = Minutes.objects.get(meeting=meeting)
    assert minutes.revision == 2 and minutes.text.get("en") == "Opening by the chair."  # the first is not overwritten
    assert minutes.revisions.count() == 2


def test_concurrent_edits_of_different_languages_merge(roles, meeting):
    sec = roles["secretariat"]
    operations.save_minutes(sec, meeting, t("Opening.", "Открытие."), base_revision=0)
    operations.save_minutes(sec, meeting, t("Opening by the chair.", "Открытие."), base_revision=1)
    merged = operations.save_minutes(sec, meeting, t("Opening.", "Открытие заседания председателем."), base_revision=1)
    assert merged.revision == 3
    assert (
        merged.text.get("en") == "Opening by the chair."
        and merged.text.get("ru") == "Открытие заседания председателем."
    )
    assert "merged with revision 2" in merged.revisions.get(number=3).note


def test_only_the_secretariat_writes_minutes(roles, meeting):
    with pytest.raises(PermissionDenied):
        operations.save_minutes(roles["economy"], meeting, t("x"), base_revision=0)


def test_the_minutes_page_shows_a_conflict_with_both_texts(client, roles, meeting):
    sec = roles["secretariat"]
    operations.save_minutes(sec, meeting, t("Opening."), base_revision=0)
    operations.save_minutes(sec, meeting, t("Opening by the chair."), base_revision=1)
    client.force_login(sec)
    response = client.post(
        f"/en/meetings/{meeting.pk}/minutes/",
        {
            "text_0": "Opening by the co-chairs.",
            "text_1": "",
            "text_2": "",
            "text_3": "",
            "text_4": "",
            "text_5": "",
            "text_6": "en",
            "base_revision": "1",
            "note": "my edit",
        },
    )
    page = response.content.decode()
    assert response.status_code == 409
    assert "Someone else saved the minutes" in page
    assert "+Opening by the co-chairs." in page and "-Opening by the chair." in page  # the difference
    assert 'value="2"' in page  # the form is now based on the newest revision
    assert "Opening by the co-chairs.</textarea>" in page  # the editor's text is offered again
    assert Minutes.objects.get(meeting=meeting).revision == 2


def test_draft_minutes_are_for_the_body_and_adopted_ones_for_everyone(client, roles, reference):
    sec = roles["secretariat"]
    economy = Meeting.objects.create(body=reference["bodies"]["economy"], number=2, year=2025, status="held")
    operations.save_minutes(sec, economy, t("Internal discussion."), base_revision=0)
    url = f"/en/meetings/{economy.pk}/minutes/"
    assert client.get(url).status_code == 404
    client.force_login(roles["fp_kz"])
    assert client.get(url).status_code == 404
    client.force_login(roles["economy"])
    assert "Internal discussion." in client.get(url).content.decode()
    minutes = Minutes.objects.get(meeting=economy)
    operations.move_minutes(sec, operations.move_minutes(sec, minutes, "circulate"), "adopt")
    client.logout()
    page = client.get(url).content.decode()
    assert "Internal discussion." in page and "locked" in page
    # the drafts stay with the body: the public reads the adopted text only (issue 13, item 4)
    assert client.get(f"/en/meetings/{economy.pk}/minutes/1/").status_code == 404
    client.force_login(roles["economy"])
    assert client.get(f"/en/meetings/{economy.pk}/minutes/1/").status_code == 200
