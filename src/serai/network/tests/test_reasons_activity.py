"""The matcher's activity reason in words (not its bare code)."""

from __future__ import annotations

from django.utils import translation

from serai.network.matching import Reason
from serai.network.reasons import Names, sentence


def test_activity_reason_is_worded():
    names = Names(fields={})
    with translation.override("en"):
        assert sentence(Reason("activity", {"count": 3}, 0.1), names) == "Active in the network: 3 earlier partners"
        assert sentence(Reason("activity", {"count": 1}, 0.1), names) == "Active in the network: 1 earlier partner"
        assert (
            sentence(Reason("activity", {"count": 5, "in_fields": 2}, 0.1), names)
            == "Active in these fields: 2 earlier joint links"
        )
