import json
from pathlib import Path

import pytest

from serai.core.i18n import TranslatedText
from serai.core.testing import shared_data_path
from serai.governance.models import Meeting
from serai.reference import data, operations
from serai.reference.codelists import CodelistError
from serai.reference.models import Body, CooperationField, DacSector, MemberState, Origin


@pytest.mark.django_db
def test_reference_data_loads_the_six_member_states_with_codes_and_names(reference):
    states = {s.iso3: s for s in MemberState.objects.all()}
    assert set(states) == {"KOR", "KAZ", "KGZ", "TJK", "TKM", "UZB"}
    assert (states["KAZ"].iso2, states["KAZ"].iso_numeric) == ("KZ", "398")
    assert states["KOR"].is_anchor and not states["UZB"].is_anchor
    assert states["TKM"].name.get("ru") == "Туркменистан" and states["KOR"].capital.get("ko") == "서울"
    for state in states.values():
        assert state.name.missing() == [] and state.capital.missing() == []


@pytest.mark.django_db
def test_bodies_and_sessions(reference):
    kinds = dict(Body.objects.values_list("code", "kind"))
    assert kinds == {
        "forum": "forum",
        "som": "som",
        "secretariat": "secretariat",
        "economy": "subcommittee",
        "social-culture": "subcommittee",
        "business-council": "business_council",
    }
    assert Body.objects.get(code="secretariat").established == 2017
    sessions = Meeting.objects.filter(body__code="forum")
    assert sessions.get(number=1).year == 2007
    assert sessions.get(number=7).host_country.iso2 == "KG"
    assert not sessions.filter(verified=True).exists()  # reference data until staff confirm
    assert all(s.source_url.startswith("http") for s in sessions)


@pytest.mark.django_db
def test_reload_is_idempotent_and_keeps_staff_corrections(reference, system, make_user):
    from serai.access.models import Role

    staff = make_user(Role.SECRETARIAT)
    kz = MemberState.objects.get(iso2="KZ")
    corrected = kz.capital.with_value("en", "Astana (Nur-Sultan 2019–2022)")
    operations.update_member_state(staff, kz, {"capital": corrected})
    kz.refresh_from_db()
    assert kz.origin == Origin.STAFF

    report = operations.load_reference(system, None)
    assert report.created == {}
    assert report.kept_staff_corrections == {"member_state": 1}
    assert report.updated == {}
    kz.refresh_from_db()
    assert kz.capital.get("en") == "Astana (Nur-Sultan 2019–2022)"
    saved = json.loads(Path(report.report_path).read_text())
    assert saved["kept_staff_corrections"] == {"member_state": 1}


@pytest.mark.django_db
def test_dac_codes_come_from_the_official_sector_codelist(system):
    folder = shared_data_path("iati", "codelists")
    report = operations.load_reference(system, folder)
    assert report.warnings == []
    assert DacSector.objects.count() >= 300
    assert DacSector.objects.get(code="23230").name == "Solar energy for centralised grids"
    energy = CooperationField.objects.get(code="energy")
    assert energy.subcommittee.code == "economy"
    codes = set(energy.dac_sectors.values_list("code", flat=True))
    assert {"23110", "23230", "23240"} <= codes
    # every code in the taxonomy exists in the codelist, and every field has at least one
    for code, _sub, _colour, _names, dac_codes in data.COOPERATION_FIELDS:
        field = CooperationField.objects.get(code=code)
        assert field.dac_sectors.count() == len(dac_codes), code
    assert "Sector" in report.sources and "sha256:" in report.sources["Sector"]
    again = operations.load_reference(system, folder)
    assert again.created.get("dac_sector") == 0 and again.updated.get("dac_sector") == 0


@pytest.mark.django_db
def test_bad_codelist_names_file_line_and_field(tmp_path, system):
    folder = tmp_path / "codelists" / "non-embedded"
    folder.mkdir(parents=True)
    (folder / "Sector.xml").write_text(
        '<?xml version="1.0"?>\n<codelist name="Sector">\n<codelist-items>\n'
        "<codelist-item><code>11110</code><name><narrative>Education</narrative></name></codelist-item>\n"
        "<codelist-item><code>123</code><name><narrative>Broken</narrative></name></codelist-item>\n"
        "</codelist-items></codelist>\n"
    )
    with pytest.raises(CodelistError) as exc:
        operations.load_reference(system, tmp_path / "codelists")
    message = str(exc.value)
    assert "Sector.xml" in message and "line 5" in message and "'code'" in message
    assert not DacSector.objects.exists() and not MemberState.objects.exists()  # nothing half-written


@pytest.mark.django_db
def test_codelist_with_entities_is_refused(tmp_path, system):
    from serai.core.safexml import UnsafeXMLError

    folder = tmp_path / "non-embedded"
    folder.mkdir()
    (folder / "Sector.xml").write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE codelist [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>\n'
        "<codelist><codelist-items><codelist-item><code>&b;</code></codelist-item></codelist-items></codelist>\n"
    )
    with pytest.raises(UnsafeXMLError):
        operations.load_reference(system, tmp_path)


def test_cooperation_fields_cover_the_forum_fields():
    codes = {code for code, *_ in data.COOPERATION_FIELDS}
    assert codes >= {
        "energy",
        "transport-logistics",
        "trade",
        "high-tech-it",
        "construction",
        "culture",
        "tourism",
        "education",
        "textiles",
        "agriculture",
        "health",
        "climate-environment",
    }


@pytest.mark.django_db
def test_staff_correct_a_cooperation_field(reference, make_user):
    from django.core.exceptions import PermissionDenied

    from serai.access.models import Role

    field = CooperationField.objects.get(code="tourism")
    with pytest.raises(PermissionDenied):
        operations.update_cooperation_field(
            make_user(Role.FOCAL_POINT, reference["states"]["KZ"]), field, {"colour": "#000000"}
        )
    staff = make_user(Role.SECRETARIAT)
    operations.update_cooperation_field(
        staff, field, {"name": TranslatedText({"en": "Tourism", "ko": "관광", "ru": "Туризм и путешествия"})}
    )
    field.refresh_from_db()
    assert field.name.get("ru") == "Туризм и путешествия" and field.origin == Origin.STAFF
