"""Issue 18: the Secretariat's sections of "my work" (proposals to screen, results updates to review)
show by the rules that decide their rows (``project.steer``, ``results.review``), asked through the
permission module rather than by testing for the Secretariat in the template."""

import pytest

from serai.access import permissions
from serai.access.models import Role

SECTIONS = {"Proposals to screen": "project.steer", "Results updates to review": "results.review"}


@pytest.mark.django_db
def test_sections_follow_their_rules(client, make_user, make_org, reference):
    users = {
        "secretariat": make_user(Role.SECRETARIAT),
        "focal_point_kz": make_user(Role.FOCAL_POINT, reference["states"]["KZ"]),
        "editor": make_user(Role.ORG_EDITOR, make_org("Editor Org", country="KZ")),
        "subcommittee": make_user(Role.SUBCOMMITTEE_MEMBER, reference["bodies"]["economy"]),
    }
    for name, user in users.items():
        client.force_login(user)
        page = client.get("/en/my/")
        assert page.status_code == 200, name
        for heading, rule in SECTIONS.items():
            assert (heading in page.content.decode()) is permissions.can(user, rule), f"{name}: {heading}"
