"""Introductions: express interest, accept or decline, contacts revealed only when accepted."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from serai.access import permissions
from serai.core import audit
from serai.network import operations, queries, workflow
from serai.network.models import Introduction, IntroductionStatus
from serai.workspace.models import Notification

pytestmark = pytest.mark.django_db


@pytest.fixture
def offer(make_profile):
    return make_profile("kz_inst", title="Солнечные электростанции", lang="ru")


def test_interest_notifies_the_owner_in_app_and_by_email(net, offer, django_capture_on_commit_callbacks):
    net["ed_kz"].email = "editor@example.kz"
    net["ed_kz"].save(update_fields=["email"])
    with django_capture_on_commit_callbacks(execute=True):
        intro = operations.express_interest(net["ed_kr"], offer, net["kr_uni"], "We need a partner.")
    assert intro.status == IntroductionStatus.REQUESTED and intro.requested_by == net["ed_kr"]
    assert Notification.objects.filter(kind="network.interest", recipient=net["ed_kz"]).exists()
    assert not Notification.objects.filter(kind="network.interest", recipient=net["ed_kr"]).exists()
    assert any("editor@example.kz" in m.to for m in mail.outbox)
    assert "network.introduction.request" in audit.entries_for(intro).values_list("action", flat=True)


def test_interest_is_refused_for_own_profile_others_orgs_drafts_and_twice(net, offer, make_profile):
    with pytest.raises(PermissionDenied):
        operations.express_interest(net["ed_kz"], offer, net["kz_inst"])  # its own profile
    with pytest.raises(PermissionDenied):
        operations.express_interest(net["ed_kr"], offer, net["uz_co"])  # not an organisation they edit
    with pytest.raises(PermissionDenied):
        operations.express_interest(net["nobody"], offer, net["kr_uni"])
    draft = make_profile("kz_inst", status="draft")
    with pytest.raises(PermissionDenied):
        operations.express_interest(net["ed_kr"], draft, net["kr_uni"])
    operations.express_interest(net["ed_kr"], offer, net["kr_uni"])
    with pytest.raises(ValidationError):
        operations.express_interest(net["ed_kr"], offer, net["kr_uni"])
    assert Introduction.objects.count() == 1


def test_accept_reveals_both_contacts_and_tells_the_requester(net, offer):
    intro = operations.express_interest(net["ed_kr"], offer, net["kr_uni"])
    assert not permissions.can(net["ed_kr"], "network.view_contacts", net["kz_inst"])
    assert queries.organisation_contacts(net["ed_kr"], net["kz_inst"]) == []
    with pytest.raises(workflow.TransitionError):
        operations.accept_introduction(net["ed_kr"], intro)  # the requester does not decide
    intro = operations.accept_introduction(net["ed_kz"], intro)
    assert intro.status == IntroductionStatus.ACCEPTED and intro.decided_by == net["ed_kz"] and intro.decided_at
    assert Notification.objects.filter(kind="network.introduction", recipient=net["ed_kr"]).exists()
    # both ways
    assert [p.email for p in queries.organisation_contacts(net["ed_kr"], net["kz_inst"])] == ["aigerim@example.kz"]
    assert [p.email for p in queries.organisation_contacts(net["ed_kz"], net["kr_uni"])] == ["kim@example.kr"]
    assert set(queries.revealed_contacts(net["ed_kr"])) == {net["person_kz"]}
    assert not permissions.can(net["ed_uz"], "network.view_contacts", net["kz_inst"])
    assert "network.introduction.accept" in audit.entries_for(intro).values_list("action", flat=True)


def test_decline_needs_a_reason_and_reveals_nothing(net, offer):
    intro = operations.express_interest(net["ed_kr"], offer, net["kr_uni"])
    with pytest.raises(workflow.TransitionError):
        operations.fire_introduction(net["ed_kz"], intro, "decline", reason="")
    intro = operations.fire_introduction(net["ed_kz"], intro, "decline", reason="Not our field.")
    assert intro.status == IntroductionStatus.DECLINED and intro.reason == "Not our field."
    assert not permissions.can(net["ed_kr"], "network.view_contacts", net["kz_inst"])
    # declined: a new request may be made
    operations.express_interest(net["ed_kr"], offer, net["kr_uni"])


def test_withdraw_by_the_requester_only(net, offer):
    intro = operations.express_interest(net["ed_kr"], offer, net["kr_uni"])
    with pytest.raises(workflow.TransitionError):
        operations.fire_introduction(net["ed_kz"], intro, "withdraw")
    intro = operations.fire_introduction(net["ed_kr"], intro, "withdraw")
    assert intro.status == IntroductionStatus.WITHDRAWN
    with pytest.raises(workflow.TransitionError):  # no second move
        operations.accept_introduction(net["ed_kz"], intro)


def test_introductions_for_splits_incoming_and_outgoing(net, offer):
    intro = operations.express_interest(net["ed_kr"], offer, net["kr_uni"])
    assert queries.introductions_for(net["ed_kz"])["incoming"] == [intro]
    assert queries.introductions_for(net["ed_kr"])["outgoing"] == [intro]
    assert queries.introductions_for(net["ed_uz"]) == {"incoming": [], "outgoing": []}


def test_expertise_is_set_once_per_person_and_unlisted_stays_hidden(net):
    operations.set_expertise(
        net["ed_kz"],
        net["person_kz"],
        fields=[net["energy"]],
        keywords="solar, grids",
        languages=["ru", "kk", "ru"],
        listed=False,
    )
    expertise = operations.set_expertise(
        net["ed_kz"], net["person_kz"], keywords="solar", languages=["ru"], listed=False
    )
    assert expertise.languages == ["ru"] and expertise.keywords == "solar"
    assert not queries.expertise(net["nobody"]).exists()
    assert queries.expertise(net["ed_kz"]).count() == 1
    with pytest.raises(PermissionDenied):
        operations.set_expertise(net["ed_kr"], net["person_kz"], listed=True)
    with pytest.raises(ValidationError):
        operations.set_expertise(net["ed_kz"], net["person_kz"], languages=["xx"])
