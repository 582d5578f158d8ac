"""Bulk import of organisations and cooperation profiles (CSV and XLSX): dry run, line-numbered
errors, one transaction, update rather than duplicate, audit entries, the report left behind."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied

from serai.access.models import Role
from serai.core.models import AuditEntry
from serai.network import importer
from serai.orgs.models import Organisation

FIXTURES = Path(__file__).parent / "fixtures"


def _file(name: str) -> tuple[str, bytes]:
    return name, (FIXTURES / name).read_bytes()


def _xlsx(sheets: dict[str, list[list]]) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    for title, rows in sheets.items():
        ws = wb.create_sheet(title)
        for row in rows:
            ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


@pytest.fixture
def var_dir(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    return tmp_path


@pytest.mark.django_db
def test_csv_creates_organisations_through_audited_operations(system, reference, var_dir):
    report = importer.run(system, [_file("orgs.csv")])
    assert report.status == "done", [str(e) for e in report.errors]
    assert report.created == {"organisation": 3}
    aeri = Organisation.objects.get(iati_identifier="KZ-BIN-000000000001")
    assert aeri.name.values["ru"] == "Алматинский институт энергетических исследований"
    assert aeri.name.source == "ru"
    assert aeri.member_state.iso2 == "KZ" and aeri.helix == "research" and aeri.iati_type == "80"
    assert sorted(aeri.fields.values_list("code", flat=True)) == ["education", "energy"]
    busan = Organisation.objects.get(name__values__ko="부산스마트항만")
    assert busan.member_state.iso2 == "KR" and busan.name.source == "ko"
    # one audit entry per organisation through the registry's operation, and one for the import
    assert AuditEntry.objects.filter(action="organisation.create").count() == 3
    assert AuditEntry.objects.filter(action="organisation.create", object_id=str(aeri.pk)).exists()
    assert AuditEntry.objects.filter(action="network.import").count() == 1
    # the report left behind, as the other imports do
    saved = json.loads(Path(report.report_path).read_text())
    assert Path(report.report_path).parent == var_dir / "reports"
    assert saved["status"] == "done" and saved["created"] == {"organisation": 3}
    assert {r["line"] for r in saved["rows"]} == {2, 3, 4}
    assert saved["files"][0]["name"] == "orgs.csv" and len(saved["files"][0]["sha256"]) == 64


@pytest.mark.django_db
def test_dry_run_writes_nothing(system, reference, var_dir):
    audit_before = AuditEntry.objects.count()
    report = importer.run(system, [_file("orgs.csv")], dry_run=True)
    assert report.status == "dry-run" and report.ok
    assert report.created == {"organisation": 3}  # what it would do
    assert not Organisation.objects.exists()
    assert AuditEntry.objects.count() == audit_before
    assert not (var_dir / "reports").exists() or not list((var_dir / "reports").iterdir())


@pytest.mark.django_db
def test_bad_row_names_file_line_and_field_and_nothing_is_written(system, reference, var_dir):
    audit_before = AuditEntry.objects.count()
    report = importer.run(system, [_file("orgs_bad.csv")])
    assert report.status == "rejected"
    assert [(e.file, e.line, e.field) for e in report.errors] == [("orgs_bad.csv", 5, "helix")]
    text = str(report.errors[0])
    assert text.startswith("orgs_bad.csv line 5, field 'helix': 'univ' is not one of government, industry")
    # the three good rows before it were rolled back with it
    assert not Organisation.objects.exists()
    assert AuditEntry.objects.count() == audit_before
    saved = json.loads(Path(report.report_path).read_text())
    assert saved["status"] == "rejected" and saved["errors"][0]["text"] == text


@pytest.mark.django_db
def test_second_import_updates_rather_than_duplicates(system, reference, var_dir):
    importer.run(system, [_file("orgs.csv")])
    again = importer.run(system, [_file("orgs.csv")])
    assert again.ok and again.created == {} and again.unchanged == {"organisation": 3}
    assert Organisation.objects.count() == 3
    changed = (FIXTURES / "orgs.csv").read_text().replace("Grid studies and training.", "Grid studies.")
    changed = changed.replace(
        "Busan Smart Port Co.,부산스마트항만,", "Busan Smart Port Co.,부산스마트항만,Умный порт Пусана"
    )
    third = importer.run(system, [("orgs.csv", changed.encode())])
    assert third.ok and third.updated == {"organisation": 2} and third.unchanged == {"organisation": 1}
    assert Organisation.objects.count() == 3
    busan = Organisation.objects.get(name__values__ko="부산스마트항만")
    assert busan.name.values == {"en": "Busan Smart Port Co.", "ko": "부산스마트항만", "ru": "Умный порт Пусана"}
    assert AuditEntry.objects.filter(action="organisation.update").count() == 2
    assert [r["action"] for r in third.rows] == ["updated", "updated", "unchanged"]


@pytest.mark.django_db
def test_existing_organisation_matched_by_exact_name_and_country(system, reference, var_dir, make_org):
    same = make_org("Tashkent Textile Cluster", helix="industry", country="UZ")
    other_country = make_org("Busan Smart Port Co.", helix="industry", country="KZ")  # same name, not the same country
    report = importer.run(system, [_file("orgs.csv")])
    assert report.ok
    assert [(r["line"], r["action"]) for r in report.rows] == [(2, "created"), (3, "created"), (4, "updated")]
    assert Organisation.objects.filter(name__values__en="Tashkent Textile Cluster").get().pk == same.pk
    assert Organisation.objects.filter(name__values__en="Busan Smart Port Co.").count() == 2
    assert other_country.pk in set(Organisation.objects.values_list("pk", flat=True))


@pytest.mark.django_db
def test_xlsx_happy_path_with_a_sheet_of_organisations(system, reference, var_dir):
    data = _xlsx(
        {
            "organisations": [
                ["name_en", "name_ru", "helix", "country", "fields"],
                ["Kyrgyz Agrarian University", "Кыргызский аграрный университет", "academia", "KG", "agriculture"],
                [None, None, None, None, None],
                ["Dushanbe Solar LLC", None, "industry", "tj", "energy"],
            ]
        }
    )
    report = importer.run(system, [("directory.xlsx", data)])
    assert report.ok, [str(e) for e in report.errors]
    assert [(r["line"], r["action"]) for r in report.rows] == [(2, "created"), (4, "created")]
    assert Organisation.objects.get(name__values__en="Dushanbe Solar LLC").member_state.iso2 == "TJ"


@pytest.mark.django_db
def test_xlsx_bad_row_names_sheet_line_and_field(system, reference, var_dir):
    data = _xlsx(
        {
            "organisations": [
                ["name_en", "helix", "country"],
                ["Fine", "research", "KZ"],
                ["Wrong country", "research", "Kazakhstan"],
            ]
        }
    )
    report = importer.run(system, [("directory.xlsx", data)])
    assert not report.ok and not Organisation.objects.exists()
    assert [(e.file, e.sheet, e.line, e.field) for e in report.errors] == [
        ("directory.xlsx", "organisations", 3, "country")
    ]
    assert "line 3, field 'country'" in str(report.errors[0])


@pytest.mark.django_db
def test_unreadable_files_are_refused_with_their_name(system, reference, var_dir, settings):
    bad = importer.run(system, [("orgs.xlsx", b"not a zip at all")])
    assert not bad.ok and "orgs.xlsx does not look like a .xlsx file" in str(bad.errors[0])
    latin1 = importer.run(system, [("orgs.csv", "name_en,helix\nCaf\xe9,industry\n".encode("latin-1"))])
    assert "orgs.csv line 2" in str(latin1.errors[0]) and "UTF-8" in str(latin1.errors[0])
    unknown = importer.run(system, [("orgs.csv", b"name_en,helix,colour\nX,industry,red\n")])
    assert "unknown column 'colour'" in str(unknown.errors[0])
    settings.SERAI_MAX_UPLOAD_MB = 0
    big = importer.run(system, [("orgs.csv", b"name_en,helix\nX,industry\n")])
    assert "larger than 0 MB" in str(big.errors[0])
    assert not Organisation.objects.exists()


@pytest.mark.django_db
def test_zip_bomb_is_refused_before_openpyxl(system, reference, var_dir):
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (8 * 1024 * 1024))
    report = importer.run(system, [("bomb.xlsx", out.getvalue())])
    assert not report.ok and "unpacks to more" in str(report.errors[0])


@pytest.mark.django_db
def test_only_the_secretariat_may_import(make_user, reference, var_dir):
    focal_point = make_user(Role.FOCAL_POINT, reference["states"]["KZ"])
    with pytest.raises(PermissionDenied):
        importer.run(focal_point, [_file("orgs.csv")], dry_run=True)
    staff = make_user(Role.SECRETARIAT)
    assert importer.run(staff, [_file("orgs.csv")]).ok
    entry = AuditEntry.objects.filter(action="organisation.create").first()
    assert entry.actor_id == staff.pk


# --- profiles ------------------------------------------------------------------------------------
@pytest.mark.django_db
def test_profiles_import_with_their_organisations_through_network_operations(system, reference, var_dir):
    from serai.network.models import CooperationProfile

    report = importer.run(system, [_file("profiles.csv"), _file("orgs.csv")])  # organisations go first
    assert report.ok, [str(e) for e in report.errors]
    assert report.created == {"organisation": 3, "profile": 3}
    grid = CooperationProfile.objects.get(title__values__ru="Моделирование энергосетей")
    assert grid.organisation.iati_identifier == "KZ-BIN-000000000001"
    assert grid.status == "published" and grid.published_at is not None
    assert grid.hs4 == ["8504", "8541"] and grid.seeks_helix == ["academia", "industry"]
    assert sorted(grid.target_countries.values_list("iso2", flat=True)) == ["KR", "UZ"]
    assert str(grid.valid_until) == "2030-12-31" and grid.title.source == "ru"
    port = CooperationProfile.objects.get(title__values__ko="스마트 항만 물류 파트너")
    assert port.status == "submitted" and port.organisation.member_state.iso2 == "KR"
    cotton = CooperationProfile.objects.get(title__values__en="Cotton processing joint venture")
    assert cotton.status == "draft"
    # each profile through the network's operations and workflow, each step audited
    assert AuditEntry.objects.filter(action="network.profile.create").count() == 3
    assert AuditEntry.objects.filter(action="network.profile.transition.submit").count() == 2
    assert AuditEntry.objects.filter(action="network.profile.transition.publish", object_id=str(grid.pk)).count() == 1


@pytest.mark.django_db
def test_second_profile_import_updates_rather_than_duplicates(system, reference, var_dir):
    from serai.network.models import CooperationProfile

    importer.run(system, [_file("orgs.csv"), _file("profiles.csv")])
    again = importer.run(system, [_file("orgs.csv"), _file("profiles.csv")])
    assert again.ok and again.created == {} and again.unchanged == {"organisation": 3, "profile": 3}
    changed = (FIXTURES / "profiles.csv").read_text().replace(",5201,", ",5201;5205,")
    third = importer.run(system, [("profiles.csv", changed.encode())])
    assert third.ok and third.updated == {"profile": 1} and third.unchanged == {"profile": 2}
    assert CooperationProfile.objects.count() == 3
    assert CooperationProfile.objects.get(title__values__en="Cotton processing joint venture").hs4 == ["5201", "5205"]


@pytest.mark.django_db
def test_bad_profile_rows_name_each_field_and_nothing_is_written(system, reference, var_dir):
    from serai.network.models import CooperationProfile

    report = importer.run(system, [_file("orgs.csv"), _file("profiles_bad.csv")])
    assert not report.ok
    assert [(e.file, e.line, e.field) for e in report.errors] == [
        ("profiles_bad.csv", 3, "hs4"),
        ("profiles_bad.csv", 4, "organisation"),
        ("profiles_bad.csv", 4, "valid_until"),
    ]
    assert "'52011' is not a four-digit HS code" in str(report.errors[0])
    assert not CooperationProfile.objects.exists() and not Organisation.objects.exists()


@pytest.mark.django_db
def test_a_profile_that_cannot_be_published_names_the_status_column(system, reference, var_dir):
    from serai.network.models import CooperationProfile

    data = "organisation,kind,title_en,status\nKZ-BIN-000000000001,tech_offer,No description yet,published\n"
    report = importer.run(system, [_file("orgs.csv"), ("profiles.csv", data.encode())])
    assert [(e.line, e.field) for e in report.errors] == [(2, "status")]
    assert "Describe what is offered or sought" in str(report.errors[0])
    assert not CooperationProfile.objects.exists()


# --- the command line and the Secretariat's page ---------------------------------------------------
@pytest.mark.django_db
def test_command_line_dry_run_and_import(reference, var_dir, capsys):
    from django.core.management import CommandError, call_command

    call_command("network", "import", str(FIXTURES / "orgs.csv"), "--dry-run")
    assert "created: organisation 3" in capsys.readouterr().out and not Organisation.objects.exists()
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("network", "import", str(FIXTURES / "orgs_bad.csv"))
    assert "orgs_bad.csv line 5, field 'helix'" in capsys.readouterr().err
    call_command("network", "import", str(FIXTURES / "orgs.csv"), str(FIXTURES / "profiles.csv"))
    assert "report:" in capsys.readouterr().out and Organisation.objects.count() == 3


@pytest.mark.django_db
def test_page_uploads_shows_the_dry_run_and_imports_on_confirm(client, make_user, reference, var_dir):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(make_user(Role.SECRETARIAT))
    assert client.get("/en/network/directory/import/").status_code == 200
    upload = SimpleUploadedFile("orgs.csv", (FIXTURES / "orgs.csv").read_bytes(), content_type="text/csv")
    response = client.post("/en/network/directory/import/", {"file": upload})
    assert response.status_code == 200 and not Organisation.objects.exists()
    html = response.content.decode()
    assert "Nothing has been written yet" in html and "Almaty Energy Research Institute" in html
    token = response.context["confirm"].initial["token"]
    done = client.post("/en/network/directory/import/confirm/", {"token": token})
    assert done.status_code == 200 and "The import is done" in done.content.decode()
    assert Organisation.objects.count() == 3
    # the staged file is gone: the same confirmation cannot import twice
    assert client.post("/en/network/directory/import/confirm/", {"token": token}).status_code == 400
    assert Organisation.objects.count() == 3


@pytest.mark.django_db
def test_page_shows_line_errors_and_offers_no_confirmation(client, make_user, reference, var_dir):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(make_user(Role.SECRETARIAT))
    upload = SimpleUploadedFile("orgs_bad.csv", (FIXTURES / "orgs_bad.csv").read_bytes(), content_type="text/csv")
    response = client.post("/en/network/directory/import/", {"file": upload})
    html = response.content.decode()
    assert "orgs_bad.csv line 5, field &#x27;helix&#x27;" in html and response.context["confirm"] is None
    wrong = client.post("/en/network/directory/import/", {"file": SimpleUploadedFile("orgs.txt", b"x")})
    assert wrong.status_code == 400 and "files of this type are not accepted" in wrong.content.decode()


@pytest.mark.django_db
def test_confirmation_is_bound_to_the_user_who_checked_the_file(client, make_user, reference, var_dir):
    first, second = make_user(Role.SECRETARIAT), make_user(Role.SECRETARIAT)
    token = importer.stage(first, "orgs.csv", (FIXTURES / "orgs.csv").read_bytes())
    client.force_login(second)
    assert client.post("/en/network/directory/import/confirm/", {"token": token}).status_code == 400
    assert client.post("/en/network/directory/import/confirm/", {"token": token + "x"}).status_code == 400
    assert not Organisation.objects.exists()


@pytest.mark.django_db
def test_page_is_for_the_secretariat_only(client, make_user, reference, var_dir):
    assert client.get("/en/network/directory/import/").status_code == 302  # sign in first
    client.force_login(make_user(Role.FOCAL_POINT, reference["states"]["KZ"]))
    assert client.get("/en/network/directory/import/").status_code == 403
    assert client.post("/en/network/directory/import/confirm/", {"token": "x"}).status_code == 403


@pytest.mark.django_db
def test_semicolon_csv_with_a_bom_as_excel_writes_it(system, reference, var_dir):
    data = "\ufeffName_EN;Helix;Country;Fields\nАстана Ветер;industry;KZ;energy\n".encode()
    report = importer.run(system, [("orgs.csv", data)])
    assert report.ok, [str(e) for e in report.errors]
    assert Organisation.objects.get(name__values__en="Астана Ветер").fields.get().code == "energy"
