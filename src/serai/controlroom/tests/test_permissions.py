"""The control room's query filters agree with its per-object rules for every role."""

import pytest

from serai.access import permissions
from serai.access.tests.test_permissions import ROLES, world  # noqa: F401 (fixture)
from serai.governance.models import ActionItem
from serai.projects.models import Project


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_controlroom_filters_agree_with_can(world, role):  # noqa: F811
    users, objects = world
    user = users[role]
    projects = set(Project.objects.filter(permissions.controlroom_project_q(user)).values_list("pk", flat=True))
    for key in ("project_public", "project_draft_kz", "project_appraisal_uz", "project_partner_nu"):
        project = objects[key]
        assert (project.pk in projects) == permissions.can(user, "controlroom.project", project), key
    actions = set(ActionItem.objects.filter(permissions.controlroom_action_q(user)).values_list("pk", flat=True))
    for key in ("action_kz", "action_uz", "action_nu"):
        action = objects[key]
        assert (action.pk in actions) == permissions.can(user, "controlroom.action", action), key
