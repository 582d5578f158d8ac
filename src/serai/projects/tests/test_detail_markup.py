"""Found by the crawler (issue 14): on Korean and Russian project pages the tags, the timeline's
actor and a move's reason read as untranslated English UI. They are data of unknown language and
are marked lang="" so assistive technology and the crawler's check tell them from the UI."""

import re

import pytest

from serai.projects import operations


@pytest.mark.django_db
def test_tags_actor_and_reason_are_marked_as_data(client, make_project, roles):
    project = make_project(actor=roles["fp_kz"], tags=["solar", "schools"])
    operations.fire_transition(roles["fp_kz"], project, "submit")
    operations.fire_transition(roles["secretariat"], project, "return", reason="Needs a budget table.")
    client.force_login(roles["secretariat"])
    body = client.get(f"/ko/projects/{project.pk}/").content.decode()
    assert re.search(r'<dd lang="">solar, schools</dd>', body)
    assert re.search(r'<span lang="">sec</span>', body)
    assert re.search(r'<span class="muted" lang="">Needs a budget table.</span>', body)
