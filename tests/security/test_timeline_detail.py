"""A public project's timeline shows dates and moves, not who moved it nor the reason they wrote
(issue 14, also seen g): those stay with the people who work on the project
(``project.view_history_detail``)."""

from __future__ import annotations

import re

from serai.projects import operations
from serai.projects.models import ProjectTransition

REASON = "The partner is under a financial audit"


def _timeline(client, project) -> str:
    page = client.get(f"/en/projects/{project.pk}/").content.decode()
    return page.split('id="timeline-title"')[1].split("</section>")[0]


def test_the_public_timeline_names_no_user_and_quotes_no_reason(client, roles, make_project, walk):
    project = make_project()
    walk(project, "implementation")
    operations.fire_transition(roles["secretariat"], project, "suspend", reason=REASON)
    labels = set(ProjectTransition.objects.filter(project=project).values_list("actor_label", flat=True))
    assert labels and all(labels)

    for viewer in (None, roles["nobody"], roles["fp_uz"]):  # anonymous, signed in without a role, another country
        client.logout()
        if viewer is not None:
            client.force_login(viewer)
        timeline = _timeline(client, project)
        assert re.search(r"Implementation</strong>|→ <strong>", timeline)  # the moves are there
        assert REASON not in timeline
        for label in labels:
            assert label not in timeline, (viewer, label)

    client.force_login(roles["fp_kz"])  # a focal point of one of its countries works on it
    timeline = _timeline(client, project)
    assert REASON in timeline and all(label in timeline for label in labels)
