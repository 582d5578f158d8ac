"""Cooperation profiles: created, moderated and published through audited operations."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from serai.core import audit
from serai.core.i18n import TranslatedText
from serai.network import operations, queries, workflow
from serai.network.models import CooperationProfile, ProfileStatus
from serai.workspace.models import Notification

pytestmark = pytest.mark.django_db


def test_profile_goes_draft_submitted_published_and_every_step_is_audited(net, make_profile):
    profile = make_profile(status="draft")
    assert profile.status == ProfileStatus.DRAFT and profile.created_by == net["ed_kz"]
    profile = operations.submit_profile(net["ed_kz"], profile)
    assert profile.status == ProfileStatus.SUBMITTED
    # the Secretariat and the KZ focal point hear of the submission
    told = set(Notification.objects.filter(kind="network.profile_submitted").values_list("recipient_id", flat=True))
    assert {net["secretariat"].pk, net["fp_kz"].pk} <= told and net["ed_kz"].pk not in told
    profile = operations.publish_profile(net["fp_kz"], profile)  # a focal point moderates their country's
    assert profile.status == ProfileStatus.PUBLISHED and profile.published_at is not None
    actions = list(audit.entries_for(profile).values_list("action", flat=True))
    for action in ("network.profile.create", "network.profile.transition.submit", "network.profile.transition.publish"):
        assert action in actions
    assert "Solar" in CooperationProfile.objects.get(pk=profile.pk).search_document


def test_every_declared_transition_is_fired_somewhere_in_this_module():
    source = open(__file__).read()
    for t in workflow.PROFILE_TRANSITIONS:
        assert f"{t.name}_profile" in source or f'"{t.name}"' in source, t.name


def test_moderation_by_another_country_s_focal_point_or_the_owner_is_refused(net, make_profile, reference, make_user):
    from serai.access.models import Role

    profile = make_profile(status="submitted")
    fp_uz = make_user(Role.FOCAL_POINT, reference["states"]["UZ"])
    for user in (fp_uz, net["ed_kz"], net["ed_kr"]):
        with pytest.raises(workflow.TransitionError):
            operations.publish_profile(user, profile)
    assert CooperationProfile.objects.get(pk=profile.pk).status == ProfileStatus.SUBMITTED


def test_reject_needs_a_note_and_returns_to_draft_with_it(net, make_profile):
    profile = make_profile(status="submitted")
    with pytest.raises(workflow.TransitionError) as exc:
        operations.fire_profile(net["secretariat"], profile, "reject", reason="  ")
    assert "reason" in str(exc.value)
    profile = operations.fire_profile(net["secretariat"], profile, "reject", reason="Say which voltage.")
    assert profile.status == ProfileStatus.DRAFT and profile.moderation_note == "Say which voltage."
    assert Notification.objects.filter(kind="network.profile_moved", recipient=net["ed_kz"]).exists()


def test_submit_needs_a_field_and_a_description(net):
    profile = operations.create_profile(
        net["ed_kz"], net["kz_inst"], {"kind": "tech_request", "title": TranslatedText({"ru": "Нужна технология"})}
    )
    with pytest.raises(workflow.TransitionError) as exc:
        operations.submit_profile(net["ed_kz"], profile)
    assert len(exc.value.problems) == 2
    assert CooperationProfile.objects.get(pk=profile.pk).status == ProfileStatus.DRAFT


def test_only_own_organisation_editors_create_and_edit(net, make_profile):
    with pytest.raises(PermissionDenied):
        operations.create_profile(
            net["ed_kr"], net["kz_inst"], {"kind": "tech_offer", "title": TranslatedText({"en": "x"})}
        )
    profile = make_profile(status="draft")
    with pytest.raises(PermissionDenied):
        operations.update_profile(net["ed_kr"], profile, {"title": TranslatedText({"en": "Mine now"})})
    operations.update_profile(net["ed_kz"], profile, {"title": TranslatedText({"en": "Better title"})})
    published = make_profile(status="published")
    with pytest.raises(PermissionDenied):  # a published profile is withdrawn before it is edited
        operations.update_profile(net["ed_kz"], published, {"title": TranslatedText({"en": "Sneaky"})})


def test_bad_hs4_and_helix_values_are_refused_naming_the_field(net):
    with pytest.raises(ValidationError) as exc:
        operations.create_profile(
            net["ed_kz"],
            net["kz_inst"],
            {"kind": "tech_offer", "title": TranslatedText({"en": "x"}), "hs4": ["85", "abcd"]},
        )
    assert "hs4" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        operations.create_profile(
            net["ed_kz"],
            net["kz_inst"],
            {"kind": "tech_offer", "title": TranslatedText({"en": "x"}), "seeks_helix": ["aliens"]},
        )
    assert "seeks_helix" in exc.value.message_dict
    assert not CooperationProfile.objects.exists()


def test_withdraw_and_reopen(net, make_profile):
    profile = make_profile(status="published")
    profile = operations.fire_profile(net["ed_kz"], profile, "withdraw")
    assert profile.status == ProfileStatus.WITHDRAWN
    profile = operations.fire_profile(net["ed_kz"], profile, "reopen")
    assert profile.status == ProfileStatus.DRAFT


def test_expire_marks_profiles_past_their_date_once(net, make_profile):
    live = make_profile(status="published")
    old = make_profile(status="published")
    CooperationProfile.objects.filter(pk=old.pk).update(valid_until=dt.date.today() - dt.timedelta(days=1))
    assert operations.expire_profiles(net["secretariat"]) == 1
    assert operations.expire_profiles(net["secretariat"]) == 0  # idempotent
    assert CooperationProfile.objects.get(pk=old.pk).status == ProfileStatus.EXPIRED
    assert CooperationProfile.objects.get(pk=live.pk).status == ProfileStatus.PUBLISHED
    with pytest.raises(PermissionDenied):
        operations.expire_profiles(net["ed_kz"])


def test_list_filters(net, make_profile):
    ko = make_profile("kr_uni", title="태양광 기술 요청", lang="ko", kind="tech_request", seeks_helix=["research"])
    ru = make_profile("kz_inst", title="Солнечные электростанции", lang="ru", target_countries=[net["states"]["KR"]])
    make_profile("uz_co", status="draft")
    user = net["nobody"]

    def ids(**kw):
        return set(queries.filtered(user, queries.Filters(**kw)).values_list("pk", flat=True))

    assert ids() == {ko.pk, ru.pk}
    assert ids(kind="tech_request") == {ko.pk}
    assert ids(country="KZ") == {ru.pk}
    assert ids(helix="academia") == {ko.pk}
    assert ids(seeks="research") == {ko.pk}
    assert ids(language="ru") == {ru.pk}
    assert ids(target="UZ") == {ko.pk}  # ru targets Korea only; ko targets any country
    assert ids(field="energy") == {ko.pk, ru.pk}
    assert ids(q="Солнечные") == {ru.pk}


def test_expire_command_marks_profiles_past_their_date(net, make_profile):
    from io import StringIO

    from django.core.management import call_command

    old = make_profile(status="published")
    CooperationProfile.objects.filter(pk=old.pk).update(valid_until=dt.date.today() - dt.timedelta(days=1))
    out = StringIO()
    call_command("network", "expire", stdout=out)
    assert "1" in out.getvalue() and CooperationProfile.objects.get(pk=old.pk).status == ProfileStatus.EXPIRED
    call_command("network", "expire", stdout=out)
    assert CooperationProfile.objects.get(pk=old.pk).status == ProfileStatus.EXPIRED
