"""The network's demo content: profiles in all three languages, through the operations, idempotent."""

import pytest

from serai.core.audit import SystemActor
from serai.core.models import AuditEntry
from serai.demo.network import PROFILES, load_demo_network
from serai.demo.registry import load_demo
from serai.network.models import CooperationProfile, Expertise, Introduction

pytestmark = pytest.mark.django_db


def test_demo_network_is_multilingual_audited_and_idempotent(reference):
    actor = SystemActor("loaddemo")
    load_demo(actor, "pw-demo-123456")
    assert load_demo_network(actor) == len(PROFILES)
    published = CooperationProfile.objects.filter(status="published")
    assert published.count() >= 12 and not CooperationProfile.objects.filter(is_demo=False).exists()
    sources = {p.title.source for p in published}
    assert {"en", "ko", "ru"} <= sources
    assert CooperationProfile.objects.filter(status="submitted").exists()  # something to moderate
    assert Expertise.objects.filter(listed=True).count() == 2 and Expertise.objects.filter(listed=False).count() == 1
    assert Introduction.objects.filter(status="accepted").count() == 1
    assert AuditEntry.objects.filter(action="network.profile.transition.publish").count() == published.count()
    entries = AuditEntry.objects.count()
    assert load_demo_network(actor) == 0  # again: nothing new
    assert AuditEntry.objects.count() == entries and Introduction.objects.count() == 2
