"""Landscape pages: who may see them, filters, the gap matrix, linking to a project, constant queries."""

import pytest

from serai.access.models import Role
from serai.core.testing import assert_constant_queries
from serai.iati import operations
from serai.iati.generate import generate
from serai.iati.models import LandscapeActivity


@pytest.fixture
def landscape(tmp_path, reference, make_user):
    staff = make_user(Role.SECRETARIAT)
    operations.import_file(staff, str(generate(tmp_path / "a.xml", 120, member_share=0.5, seed=2)))
    return staff


def test_landscape_is_for_roles_only(client, landscape, make_user, reference):
    assert client.get("/en/iati/landscape/").status_code == 302  # to sign in
    client.force_login(make_user())
    assert client.get("/en/iati/landscape/").status_code == 403
    client.force_login(make_user(Role.FOCAL_POINT, reference["states"]["KZ"]))
    html = client.get("/en/iati/landscape/?country=KZ").content.decode()
    import re

    kz = set(LandscapeActivity.objects.filter(country_codes__contains=" KZ ").values_list("identifier", flat=True))
    shown = set(re.findall(r'<code class="muted">([^<]+)</code>', html))
    assert shown and shown <= kz
    assert "Cooperation fields × member states" in html


def test_link_a_landscape_activity_to_a_project(client, landscape, make_project):
    project = make_project()
    activity = LandscapeActivity.objects.first()
    client.force_login(landscape)
    response = client.post(f"/en/iati/landscape/{activity.pk}/link/", {"project": project.pk})
    assert response.status_code == 302
    activity.refresh_from_db()
    assert activity.project_id == project.pk
    from serai.core.models import AuditEntry

    assert AuditEntry.objects.filter(action="landscape.link").exists()


def test_landscape_list_queries_are_constant(client, landscape, tmp_path):
    client.force_login(landscape)
    seed = iter(range(100, 200))
    assert_constant_queries(
        lambda: client.get("/en/iati/landscape/").content,
        lambda: operations.import_file(
            landscape, str(generate(tmp_path / f"more{next(seed)}.xml", 60, member_share=1.0, seed=next(seed)))
        ),
    )
