import pytest

from serai.access.models import Role
from serai.core import audit
from serai.core.i18n import TranslatedText
from serai.core.models import AuditEntry
from serai.core.operations import EditConflict
from serai.orgs import operations as org_ops


@pytest.mark.django_db
def test_write_through_operations_records_who_what_before_after(make_user, reference):
    staff = make_user(Role.SECRETARIAT, username="alice")
    org = org_ops.create_organisation(
        staff,
        {
            "name": TranslatedText({"en": "Steppe Energy Institute"}),
            "helix": "research",
            "member_state": reference["states"]["KZ"],
        },
    )
    created = audit.entries_for(org).get()
    assert created.action == "organisation.create"
    assert created.actor == staff and created.actor_label == "alice"
    assert created.changes["helix"] == {"before": None, "after": "research"}
    assert created.changes["name"]["after"]["values"] == {"en": "Steppe Energy Institute"}

    org_ops.update_organisation(staff, org, {"acronym": "SEI", "website": "https://sei.example.kz"}, expected_version=1)
    updated = audit.entries_for(org).first()
    assert updated.action == "organisation.update"
    assert updated.changes["acronym"] == {"before": "", "after": "SEI"}
    assert updated.changes["version"] == {"before": 1, "after": 2}
    assert set(updated.changes) == {"acronym", "website", "version", "updated_at"}


@pytest.mark.django_db
def test_update_that_changes_nothing_records_nothing(make_user, make_org):
    staff = make_user(Role.SECRETARIAT)
    org = make_org()
    before = AuditEntry.objects.count()
    org_ops.update_organisation(staff, org, {"acronym": org.acronym})
    org.refresh_from_db()
    assert AuditEntry.objects.count() == before
    assert org.version == 1


@pytest.mark.django_db
def test_second_save_of_a_stale_edit_is_refused_and_nothing_is_overwritten(make_user, make_org):
    staff = make_user(Role.SECRETARIAT)
    org = make_org()
    first_editor_copy = type(org).objects.get(pk=org.pk)
    second_editor_copy = type(org).objects.get(pk=org.pk)
    org_ops.update_organisation(staff, first_editor_copy, {"acronym": "FIRST"}, expected_version=1)
    with pytest.raises(EditConflict) as exc:
        org_ops.update_organisation(staff, second_editor_copy, {"acronym": "SECOND"}, expected_version=1)
    assert "version 1" in str(exc.value) and "version 2" in str(exc.value)
    org.refresh_from_db()
    assert org.acronym == "FIRST" and org.version == 2


@pytest.mark.django_db
def test_refused_write_records_nothing_and_changes_nothing(make_user, make_org):
    from django.core.exceptions import PermissionDenied

    outsider = make_user()
    org = make_org()
    count = AuditEntry.objects.count()
    with pytest.raises(PermissionDenied):
        org_ops.update_organisation(outsider, org, {"acronym": "HACK"})
    org.refresh_from_db()
    assert org.acronym == "" and AuditEntry.objects.count() == count


@pytest.mark.django_db
def test_invalid_write_is_rolled_back_whole(make_user, reference):
    from django.core.exceptions import ValidationError

    staff = make_user(Role.SECRETARIAT)
    count = AuditEntry.objects.count()
    with pytest.raises(ValidationError) as exc:
        org_ops.create_organisation(
            staff,
            {
                "name": TranslatedText({"en": "X"}),
                "helix": "industry",
                "iati_type": "80",
                "member_state": reference["states"]["KZ"],
            },
        )
    assert "iati_type" in exc.value.message_dict
    assert AuditEntry.objects.count() == count


@pytest.mark.django_db
def test_staff_read_audit_log_site_wide_and_per_object(client, make_user, make_org):
    staff = make_user(Role.SECRETARIAT, username="auditor")
    org = make_org(name="Audited Org")
    org_ops.update_organisation(staff, org, {"acronym": "AUD"})
    client.force_login(staff)
    page = client.get("/en/audit/")
    assert page.status_code == 200 and "organisation.update" in page.content.decode()
    detail = client.get(f"/en/audit/orgs.organisation/{org.pk}/")
    body = detail.content.decode()
    assert detail.status_code == 200 and "AUD" in body and "organisation.create" in body
    # the object's own name is content (any language), marked so it is not read as the interface's words
    assert '<span lang="">Audited Org' in body
    filtered = client.get("/en/audit/?action=role.")
    assert "organisation.update" not in filtered.content.decode()


@pytest.mark.django_db
def test_audit_log_is_closed_to_non_staff(client, make_user, reference):
    client.force_login(make_user(Role.FOCAL_POINT, reference["states"]["KZ"]))
    assert client.get("/en/audit/").status_code == 403
    client.logout()
    assert client.get("/en/audit/").status_code == 302  # to the sign-in page


@pytest.mark.django_db
def test_admin_writes_go_through_operations(client, reference):
    from django.contrib.auth import get_user_model

    admin = get_user_model().objects.create_superuser("root", "root@x.invalid", "pw-root-123")
    client.force_login(admin)
    state = reference["states"]["KZ"]
    url = f"/en/admin/reference/memberstate/{state.pk}/change/"
    form = client.get(url)
    assert form.status_code == 200
    data = {
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
        "capital_0": "Astana",
        "capital_1": "",
        "capital_2": "",
        "capital_3": "",
        "capital_4": "",
        "capital_5": "",
        "capital_6": "en",
        "sort_order": "1",
        "origin": "reference",
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    entry = audit.entries_for(state).first()
    assert entry.action == "member_state.update" and entry.actor == admin  # the domain's operation
    assert entry.changes["capital"]["after"]["values"] == {"en": "Astana"}


@pytest.mark.django_db
def test_audit_log_marks_recorded_values_as_of_unknown_language(client, make_user, make_org):
    """Found by the crawler (issue 14): on Korean and Russian pages the recorded actor, object name,
    values and reason read as untranslated English UI; they are data, marked lang="" (unknown)."""
    import re

    staff = make_user(Role.SECRETARIAT, username="auditor")
    org_ops.update_organisation(staff, make_org(name="Audited Org"), {"acronym": "AUD"})
    client.force_login(staff)
    body = client.get("/ko/audit/").content.decode()
    assert re.search(r'<td lang="">auditor</td>', body)
    assert re.search(r'<a lang="" href="[^"]+">Audited Org</a>', body)
    assert re.search(r'<ins lang="">AUD</ins>', body)
