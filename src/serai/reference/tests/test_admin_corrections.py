"""The Django admin writes through the domain operations (issue 18): a staff correction made there
is marked as one, so ``loadreference`` keeps it; a model without an operation is read-only."""

import pytest
from django.contrib.auth import get_user_model

from serai.core.models import AuditEntry
from serai.reference.models import DacSector, MemberState, Origin
from serai.reference.operations import load_reference

STATE_FORM = {
    "iso2": "KZ",
    "iso3": "KAZ",
    "iso_numeric": "398",
    "name_0": "Kazakhstan",
    "name_1": "",
    "name_2": "카자흐스탄",
    "name_3": "",
    "name_4": "Казахстан",
    "name_5": "",
    "name_6": "en",
    "capital_0": "Astana (corrected by the Secretariat)",
    "capital_1": "",
    "capital_2": "",
    "capital_3": "",
    "capital_4": "",
    "capital_5": "",
    "capital_6": "en",
    "sort_order": "1",
    "origin": "reference",  # a tampered form cannot unmark the correction either
}


@pytest.fixture
def staff(client):
    root = get_user_model().objects.create_superuser("root", "root@x.invalid", "pw-root-123")
    client.force_login(root)
    return root


@pytest.mark.django_db
def test_a_correction_in_the_admin_survives_loadreference(client, staff, reference, system):
    state = reference["states"]["KZ"]
    response = client.post(f"/en/admin/reference/memberstate/{state.pk}/change/", STATE_FORM)
    assert response.status_code == 302, response.content.decode()[:2000]
    state.refresh_from_db()
    assert state.origin == Origin.STAFF
    assert AuditEntry.objects.filter(action="member_state.update", object_id=str(state.pk)).exists()
    load_reference(system, None)
    state.refresh_from_db()
    assert state.capital.values["en"] == "Astana (corrected by the Secretariat)"


@pytest.mark.django_db
def test_a_model_without_an_operation_is_read_only_in_the_admin(client, staff, reference):
    sector = DacSector.objects.create(code="11110", name="Education policy", category="111")
    url = f"/en/admin/reference/dacsector/{sector.pk}/change/"
    assert client.get(url).status_code == 200  # it can be read
    response = client.post(url, {"code": "11110", "name": "Changed", "category": "111"})
    assert response.status_code == 403
    sector.refresh_from_db()
    assert sector.name == "Education policy"
    assert client.post(f"/en/admin/reference/dacsector/{sector.pk}/delete/", {"post": "yes"}).status_code == 403
    assert DacSector.objects.filter(pk=sector.pk).exists()
    # member states are loaded, never created or deleted here
    state = MemberState.objects.get(iso2="KZ")
    assert client.post(f"/en/admin/reference/memberstate/{state.pk}/delete/", {"post": "yes"}).status_code == 403
    assert client.get("/en/admin/reference/memberstate/add/").status_code == 403


@pytest.mark.django_db
def test_a_meeting_status_changed_in_the_admin_moves_through_the_machine(client, staff, reference):
    from serai.governance.models import Meeting

    meeting = Meeting.objects.filter(body__kind="forum", status="held").first()
    url = f"/en/admin/governance/meeting/{meeting.pk}/change/"
    form = client.get(url).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and not isinstance(v, list | dict)}
    for name, field in form.fields.items():  # the translatable fields' sub-widgets
        value = form.initial.get(name)
        if hasattr(field, "fields"):
            for i, sub in enumerate(field.widget.decompress(value)):
                data[f"{name}_{i}"] = sub if sub is not None else ""
    data["status"] = "cancelled"  # held → cancelled is no declared move
    response = client.post(url, data)
    meeting.refresh_from_db()
    assert meeting.status == "held" and not AuditEntry.objects.filter(action__startswith="meeting.cancel").exists()
    assert response.status_code == 200 and "cannot become" in response.content.decode()
