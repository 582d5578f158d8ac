"""Issue 19: "my work" reads each section in one query (the rows and, by a window count, how many
there are) and keeps a constant number of queries as its sections fill."""

import pytest
from django.contrib.auth.models import Group
from django.test import Client

from serai.core.i18n import TranslatedText
from serai.core.testing import assert_constant_queries, count_queries
from serai.desk import queries as desk_queries
from serai.governance import operations as governance
from serai.governance.models import Meeting


@pytest.mark.django_db
def test_a_section_past_its_limit_is_one_query_with_the_full_count():
    Group.objects.bulk_create(Group(name=f"g{n:03}") for n in range(desk_queries.LIMIT + 3))
    n, section, _sql = count_queries(lambda: desk_queries._section(Group.objects.order_by("name")))
    assert n == 1
    assert section.count == desk_queries.LIMIT + 3
    assert [g.name for g in section.rows] == [f"g{k:03}" for k in range(desk_queries.LIMIT)]
    assert desk_queries._section(Group.objects.none()).count == 0


@pytest.mark.django_db
def test_my_work_keeps_a_constant_query_count_as_a_focal_points_sections_fill(roles, reference):
    client = Client()
    client.force_login(roles["fp_kz"])
    meeting = Meeting.objects.filter(body__kind="forum", status="held").first()
    client.get("/en/my/")  # what is kept between requests (the viewer's roles) is warm, as on a server

    def grow():
        for n in range(3):
            governance.add_action(
                roles["secretariat"], meeting, TranslatedText({"en": f"Report {n}"}), owner=reference["states"]["KZ"]
            )

    def check(first, second):
        page = second.content.decode()
        assert second.status_code == 200
        assert page.count("Report ") >= 3
        assert "Report " not in first.content.decode()

    assert_constant_queries(lambda: client.get("/en/my/"), grow, check=check)
