"""Version stamps (``serai.core.stamps``) move with audited writes, in the writer's transaction, and the shell kept
between requests fills its per-response slots (issue 19)."""

import pytest
from django.db import transaction
from django.test import Client

from serai.core import stamps
from serai.core.audit import SystemActor
from serai.core.i18n import TranslatedText
from serai.core.models import Stamp

pytestmark = pytest.mark.django_db


def test_a_write_moves_its_table_its_object_and_its_owner(roles, make_project):
    from serai.projects import operations

    project = make_project()
    before = stamps.read(["projects.project", stamps.of(project), "projects.result"])
    result = operations.add_result(roles["fp_kz"], project, "outcome", TranslatedText({"en": "Outcome"}))
    stamps.forget()
    after = stamps.read(["projects.project", stamps.of(project), "projects.result", stamps.of(result)])
    assert after["projects.result"] > before["projects.result"]
    assert after[stamps.of(result)] == after["projects.result"]
    # the result's owner: its project's page is stale too
    assert after[stamps.of(project)] > before[stamps.of(project)]
    assert after["projects.project"] > before["projects.project"]


def test_a_rolled_back_write_leaves_the_stamps_alone(roles, make_project):
    from serai.projects import operations

    project = make_project()
    stamps.forget()
    before = stamps.read([stamps.of(project)])
    with pytest.raises(RuntimeError), transaction.atomic():
        operations.add_result(roles["fp_kz"], project, "outcome", TranslatedText({"en": "Outcome"}))
        raise RuntimeError("the writer fails after the audit entry")
    stamps.forget()
    assert stamps.read([stamps.of(project)]) == before


def test_a_write_without_an_object_moves_the_epoch():
    from serai.core import audit

    stamps.forget()
    before = stamps.tables().get(stamps.EPOCH, 0)
    entry = audit.record(SystemActor("bulk load"), "bulk.load", None)
    stamps.forget()
    assert stamps.tables()[stamps.EPOCH] == entry.pk > before
    assert Stamp.objects.get(name=stamps.EPOCH).value == entry.pk


def test_the_cached_shell_fills_the_address_token_and_badge_per_response(roles):
    from serai.workspace.models import Notification

    client = Client()
    client.force_login(roles["fp_kz"])
    first = client.get("/en/projects/?country=KZ").content.decode()
    second = client.get("/en/accounts/password/done/").content.decode()
    assert 'name="next" value="/en/projects/?country=KZ"' in first
    assert 'name="next" value="/en/accounts/password/done/"' in second
    assert "seraiSlot" not in first + second
    assert "badge" not in second.split("<main")[0]
    Notification.objects.create(recipient=roles["fp_kz"], kind="test", params={})
    third = client.get("/en/accounts/password/done/").content.decode()
    assert '<span class="badge">1<' in third.split("<main")[0]  # not cached in the shell
