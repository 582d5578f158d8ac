"""Agenda editing: rename, reorder and delete agenda items (audited, Secretariat only), and minutes
started from a template that follows the agenda (its headings in each content language)."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from serai.core.i18n import TranslatedText
from serai.core.models import AuditEntry
from serai.governance import operations
from serai.governance.models import AgendaItem, Decision, Meeting, Minutes


def t(en, ru=None, ko=None):
    values = {"en": en, **({"ru": ru} if ru else {}), **({"ko": ko} if ko else {})}
    return TranslatedText(values, source="en")


@pytest.fixture
def meeting(reference):
    return Meeting.objects.create(body=reference["bodies"]["som"], number=61, year=2026, status="held")


@pytest.fixture
def agenda(roles, meeting):
    sec = roles["secretariat"]
    opening = operations.add_agenda_item(sec, meeting, t("Opening", "Открытие", "개회"))
    transport = operations.add_agenda_item(sec, meeting, t("Transport", "Транспорт"))
    roads = operations.add_agenda_item(sec, meeting, t("Roads"), parent=transport)
    closing = operations.add_agenda_item(sec, meeting, t("Closing"))
    return {"opening": opening, "transport": transport, "roads": roads, "closing": closing}


def top_level(meeting):
    return list(
        AgendaItem.objects.filter(meeting=meeting, parent=None).order_by("order", "id").values_list("title", flat=True)
    )


def titles(meeting):
    return [TranslatedText.coerce(x).get("en") for x in top_level(meeting)]


def test_rename_is_audited(roles, agenda):
    item = operations.rename_agenda_item(roles["secretariat"], agenda["opening"], t("Opening of the meeting"))
    assert item.title.get("en") == "Opening of the meeting"
    entry = AuditEntry.objects.get(action="meeting.agenda.rename")
    assert entry.object_id == str(item.pk) and "title" in entry.changes


def test_reorder_moves_an_item_and_closes_up(roles, meeting, agenda):
    operations.move_agenda_item(roles["secretariat"], agenda["closing"], 0)
    assert titles(meeting) == ["Closing", "Opening", "Transport"]
    assert list(
        AgendaItem.objects.filter(meeting=meeting, parent=None).order_by("order").values_list("order", flat=True)
    ) == [0, 1, 2]
    assert AuditEntry.objects.filter(action="meeting.agenda.reorder").count() == 3  # each item whose place changed
    with pytest.raises(ValidationError):
        operations.move_agenda_item(roles["secretariat"], agenda["opening"], 3)


def test_delete_takes_the_sub_items_and_closes_up(roles, meeting, agenda):
    operations.delete_agenda_item(roles["secretariat"], agenda["transport"])
    assert titles(meeting) == ["Opening", "Closing"]
    assert not AgendaItem.objects.filter(pk__in=[agenda["transport"].pk, agenda["roads"].pk]).exists()
    deleted = set(AuditEntry.objects.filter(action="meeting.agenda.delete").values_list("object_id", flat=True))
    assert deleted == {str(agenda["transport"].pk), str(agenda["roads"].pk)}
    assert AgendaItem.objects.get(pk=agenda["closing"].pk).order == 1


def test_an_item_with_decisions_is_not_deleted(roles, meeting, agenda):
    Decision.objects.create(meeting=meeting, agenda_item=agenda["roads"], text=t("Build roads."))
    with pytest.raises(ValidationError, match="decisions or documents"):
        operations.delete_agenda_item(roles["secretariat"], agenda["transport"])
    assert AgendaItem.objects.filter(meeting=meeting).count() == 4
    assert not AuditEntry.objects.filter(action="meeting.agenda.delete").exists()


@pytest.mark.parametrize("who", ["fp_kz", "economy", "nobody"])
def test_only_the_secretariat_edits_the_agenda(roles, agenda, who):
    user = roles[who]
    with pytest.raises(PermissionDenied):
        operations.rename_agenda_item(user, agenda["opening"], t("Mine"))
    with pytest.raises(PermissionDenied):
        operations.move_agenda_item(user, agenda["closing"], 0)
    with pytest.raises(PermissionDenied):
        operations.delete_agenda_item(user, agenda["opening"])
    assert AgendaItem.objects.get(pk=agenda["opening"].pk).title.get("en") == "Opening"


def test_minutes_start_from_the_agenda_in_each_language(roles, meeting, agenda):
    minutes = operations.start_minutes_from_agenda(roles["secretariat"], meeting, language="ru")
    assert minutes.revision == 1 and minutes.text.source == "ru"
    ru, en, ko = minutes.text.get("ru"), minutes.text.get("en"), minutes.text.get("ko")
    assert ru.startswith("Протокол") and "1. Открытие" in ru and "2. Транспорт" in ru and "2.1. Roads" in ru
    assert en.startswith("Minutes of") and "1. Opening" in en and "3. Closing" in en
    assert "1. 개회" in ko and "2. Transport" in ko  # an item without Korean keeps its own title
    assert en.index("2. Transport") < en.index("2.1. Roads") < en.index("3. Closing")
    assert minutes.revisions.get().note == "Started from the agenda"


def test_written_minutes_are_not_replaced(roles, meeting, agenda):
    operations.save_minutes(roles["secretariat"], meeting, t("Our own text."), base_revision=0)
    with pytest.raises(ValidationError, match="not replaced"):
        operations.start_minutes_from_agenda(roles["secretariat"], meeting)
    assert Minutes.objects.get(meeting=meeting).text.get("en") == "Our own text."


def test_no_agenda_no_template(roles, meeting):
    with pytest.raises(ValidationError, match="no agenda"):
        operations.start_minutes_from_agenda(roles["secretariat"], meeting)


# --- the agenda page (serai.controlroom) ----------------------------------------------------------
def page(meeting):
    return f"/en/control/meetings/{meeting.pk}/agenda/"


def test_the_agenda_page_reorders_renames_and_deletes(client, roles, meeting, agenda):
    client.force_login(roles["secretariat"])
    response = client.get(page(meeting))
    assert response.status_code == 200 and "Transport" in response.content.decode()
    assert client.post(page(meeting), {"item": agenda["closing"].pk, "op": "up"}).status_code == 302
    assert titles(meeting) == ["Opening", "Closing", "Transport"]
    prefix = f"r{agenda['opening'].pk}-title"
    client.post(
        page(meeting), {"item": agenda["opening"].pk, "op": "rename", f"{prefix}_0": "Welcome", f"{prefix}_6": "en"}
    )
    assert titles(meeting)[0] == "Welcome"
    client.post(page(meeting), {"item": agenda["closing"].pk, "op": "delete"})
    assert titles(meeting) == ["Welcome", "Transport"]
    response = client.post(f"/en/control/meetings/{meeting.pk}/agenda/minutes/", {"language": "en"})
    assert (
        response.status_code == 302 and Minutes.objects.get(meeting=meeting).text.get("en").count("\n1. Welcome") == 1
    )


@pytest.mark.parametrize("post", [{"item": "x", "op": "up"}, {"item": "1", "op": "explode"}, {}])
def test_a_bad_agenda_edit_is_a_400(client, roles, meeting, agenda, post):
    client.force_login(roles["secretariat"])
    assert client.post(page(meeting), post).status_code == 400


def test_the_agenda_page_is_for_the_secretariat(client, roles, meeting, agenda):
    client.force_login(roles["fp_kz"])
    assert client.get(page(meeting)).status_code == 403
    assert client.post(page(meeting), {"item": agenda["closing"].pk, "op": "delete"}).status_code == 403
    assert AgendaItem.objects.filter(pk=agenda["closing"].pk).exists()
