"""The gap reason in words (the matcher's "gap" code: a missing helix, an uncovered country)."""

from __future__ import annotations

from django.utils import translation

from serai.network.matching import Reason
from serai.network.reasons import Names, sentence


def test_gap_reason_names_the_missing_helix_and_the_uncovered_country():
    names = Names(fields={}, countries={"KZ": "Kazakhstan"})
    with translation.override("en"):
        assert (
            sentence(Reason("gap", {"helix": "industry", "country": ""}, 0.1), names)
            == "Fills the missing industry place"
        )
        assert (
            sentence(Reason("gap", {"helix": "", "country": "KZ"}, 0.1), names)
            == "Covers Kazakhstan, which no partner covers yet"
        )
        both = sentence(Reason("gap", {"helix": "industry", "country": "KZ"}, 0.1), names)
        assert "industry" in both and "Kazakhstan" in both and "%(" not in both
