import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from serai.core.operations import EditConflict
from serai.projects import operations
from serai.projects.operations import SectorShare
from serai.reference.models import CooperationField, DacSector

pytestmark = pytest.mark.django_db


def test_scope_is_derived_from_the_countries_and_validated(make_project, roles, reference):
    assert make_project(countries=("KR", "KZ")).scope == "bilateral"
    assert make_project(countries=("KR", "KZ", "UZ", "TJ")).scope == "multilateral"
    with pytest.raises(ValidationError) as exc:
        make_project(countries=("KZ", "UZ"))
    assert "Korea" in str(exc.value)
    with pytest.raises(ValidationError):
        make_project(actor=roles["secretariat"], countries=("KR",))


def test_sector_percentages_must_add_up_to_100(make_project, roles, energy):
    project = make_project()
    health = CooperationField.objects.get(code="health")
    with pytest.raises(ValidationError) as exc:
        operations.update_project(
            roles["fp_kz"], project, {}, sectors=[SectorShare(energy, Decimal(60)), SectorShare(health, Decimal(30))]
        )
    assert "90" in str(exc.value)
    operations.update_project(
        roles["fp_kz"],
        project,
        {},
        sectors=[SectorShare(energy, Decimal("62.5")), SectorShare(health, Decimal("37.5"))],
    )
    assert sorted(project.sectors.values_list("percentage", flat=True)) == [Decimal("37.50"), Decimal("62.50")]


def test_dac_code_must_belong_to_the_field(make_project, roles, energy):
    solar = DacSector.objects.create(code="23230", name="Solar energy")
    energy.dac_sectors.add(solar)
    school = DacSector.objects.create(code="11120", name="Education facilities and training")
    project = make_project()
    operations.update_project(roles["fp_kz"], project, {}, sectors=[SectorShare(energy, Decimal(100), solar)])
    with pytest.raises(ValidationError):
        operations.update_project(roles["fp_kz"], project, {}, sectors=[SectorShare(energy, Decimal(100), school)])


def test_budget_is_converted_to_usd_at_the_stated_rate(make_project, roles):
    project = make_project(
        budget_amount=Decimal("1300000000"),
        budget_currency="KRW",
        usd_rate=Decimal("0.00072"),
        usd_rate_date=dt.date(2025, 1, 2),
    )
    assert project.budget_usd == Decimal("936000.00")
    with pytest.raises(ValidationError):
        make_project(budget_amount=Decimal(10), budget_currency="KRW")  # no rate
    usd = make_project(budget_amount=Decimal("250000"), budget_currency="USD")
    assert usd.budget_usd == Decimal("250000.00")


def test_only_roles_may_propose_and_focal_points_only_for_their_country(make_project, roles):
    with pytest.raises(PermissionDenied):
        make_project(actor=roles["nobody"])
    with pytest.raises(PermissionDenied):
        make_project(actor=roles["fp_uz"], countries=("KR", "KZ"))
    assert make_project(actor=roles["editor"]).created_by == roles["editor"]


def test_concurrent_edits_are_detected(make_project, roles):
    project = make_project()
    operations.update_project(roles["fp_kz"], project, {"tags": ["first"]}, expected_version=1)
    with pytest.raises(EditConflict):
        operations.update_project(roles["secretariat"], project, {"tags": ["second"]}, expected_version=1)
    project.refresh_from_db()
    assert project.tags == ["first"]


def test_trade_evidence_snapshot_is_stored(make_project, roles):
    project = make_project()
    snapshot = {"source": "CEPII BACI HS92", "year": 2020, "product": "520100", "untapped_usd": 1200000}
    operations.update_project(roles["fp_kz"], project, {"trade_evidence": snapshot})
    project.refresh_from_db()
    assert project.trade_evidence == snapshot
