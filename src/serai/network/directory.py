"""The directory export: organisations and their published cooperation profiles, as rows for
:func:`serai.core.downloads.table_response` (which neutralises every cell).

The columns are the import layout (``docs/network-import.md``) plus ``id`` and a few read-only
columns the importer ignores, so an exported file can be edited and imported again.

Visibility: organisations come from ``serai.orgs.queries.organisations`` (the registry is
public); profiles are those the viewer may see (``permissions.profile_visibility_q``) that are
published — for the public, the published profiles still valid. Counts of profiles per
organisation are taken from the same filter.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db.models import Count, Prefetch

from serai.access import permissions
from serai.core.i18n import TranslatedText
from serai.orgs import queries as org_queries
from serai.reference.models import CooperationField, DacSector, MemberState

from .importer import LANGS

KINDS = ("organisations", "profiles")
ORG_HEADER = [
    "id",
    "iati_identifier",
    *[f"name_{lang}" for lang in LANGS],
    "acronym",
    "helix",
    "iati_type",
    "country",
    "fields",
    "website",
    *[f"description_{lang}" for lang in LANGS],
    "published_profiles",
]
PROFILE_HEADER = [
    "id",
    "organisation",
    "organisation_country",
    "organisation_name",
    "kind",
    *[f"title_{lang}" for lang in LANGS],
    *[f"description_{lang}" for lang in LANGS],
    "fields",
    "dac_sectors",
    "hs4",
    "target_countries",
    "seeks_helix",
    "valid_until",
    "published_at",
]
CHUNK = 1000


def published_profiles(user: Any):
    from .models import CooperationProfile, ProfileStatus

    return CooperationProfile.objects.filter(permissions.profile_visibility_q(user), status=ProfileStatus.PUBLISHED)


def _text(value: Any, lang: str) -> str:
    return TranslatedText.coerce(value).values.get(lang, "")


def _codes(items) -> str:
    return ";".join(sorted(i.code if hasattr(i, "code") else i.iso2 for i in items))


def organisation_reference(org) -> str:
    """How the profile rows name their organisation: its IATI identifier, else its name."""
    if org.iati_identifier:
        return org.iati_identifier
    name = TranslatedText.coerce(org.name)
    return name.values.get(name.source or "en") or name.get("en")


def organisation_rows(user: Any) -> Iterator[list[Any]]:
    counts = dict(published_profiles(user).order_by().values_list("organisation_id").annotate(n=Count("id")))
    for org in org_queries.organisations(user).iterator(chunk_size=CHUNK):
        yield [
            org.pk,
            org.iati_identifier,
            *[_text(org.name, lang) for lang in LANGS],
            org.acronym,
            org.helix,
            org.iati_type,
            org.country_code,
            _codes(org.fields.all()),
            org.website,
            *[_text(org.description, lang) for lang in LANGS],
            counts.get(org.pk, 0),
        ]


def profile_rows(user: Any) -> Iterator[list[Any]]:
    qs = (
        published_profiles(user)
        .select_related("organisation__member_state")
        .prefetch_related(
            Prefetch("fields", queryset=CooperationField.objects.only("id", "code")),
            Prefetch("dac_sectors", queryset=DacSector.objects.only("id", "code")),
            Prefetch("target_countries", queryset=MemberState.objects.only("id", "iso2")),
        )
        .order_by("organisation_id", "id")
    )
    for p in qs.iterator(chunk_size=CHUNK):
        org = p.organisation
        yield [
            p.pk,
            organisation_reference(org),
            org.country_code,
            str(org),
            p.kind,
            *[_text(p.title, lang) for lang in LANGS],
            *[_text(p.description, lang) for lang in LANGS],
            _codes(p.fields.all()),
            _codes(p.dac_sectors.all()),
            ";".join(p.hs4 or []),
            _codes(p.target_countries.all()),
            ";".join(p.seeks_helix or []),
            p.valid_until,
            p.published_at.date() if p.published_at else None,
        ]


def export(user: Any, what: str) -> tuple[list[str], Iterator[list[Any]]]:
    if what == "organisations":
        return ORG_HEADER, organisation_rows(user)
    return PROFILE_HEADER, profile_rows(user)
