"""The cooperation funnel: profiles → interests → introductions accepted → joint proposals →
endorsed projects, counted in total, per country and per cooperation field.

What is counted (and said on the page):

* **profiles**: the cooperation profiles the viewer may see (``permissions.profile_visibility_q``:
  for the public, the published profiles still valid);
* **interests**: introductions requested on those profiles (any outcome), counted as numbers only;
* **introductions**: those of them that were accepted;
* **joint proposals**: accepted introductions followed by a project the viewer may see
  (``permissions.project_visibility_q``), created on or after the introduction was requested, in
  which both organisations (the profile's and the requester) participate;
* **endorsed**: those whose joint project is endorsed or further (the public project statuses).

From interests on, each stage is a subset of the one before, so the funnel narrows (a profile
may draw several interests). A country is the country of the
profile's organisation; a profile with several fields counts once in each (the field rows do not
add up to the total). The number of queries does not grow with the data: every figure comes from
a handful of grouped aggregates.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from serai.access import permissions
from serai.core.i18n import TranslatedText

STAGES = ("profiles", "interests", "introductions", "joint", "endorsed")
STAGE_LABELS = {
    "profiles": _("Profiles"),
    "interests": _("Interests"),
    "introductions": _("Introductions accepted"),
    "joint": _("Joint proposals"),
    "endorsed": _("Endorsed projects"),
}
DIMENSIONS = ("country", "field")


@dataclass
class Row:
    key: str
    label: Any
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(STAGES, 0))

    @property
    def values(self) -> list[int]:
        return [self.counts[s] for s in STAGES]


@dataclass
class Funnel:
    total: Row
    by_country: list[Row]
    by_field: list[Row]

    def rows(self, by: str) -> list[Row]:
        return self.by_country if by == "country" else self.by_field


def _introductions(user: Any, profiles):
    from serai.network.models import Introduction
    from serai.projects.models import PUBLIC_STATUSES, Project

    joint = (
        Project.objects.filter(permissions.project_visibility_q(user))
        .filter(created_at__gte=OuterRef("created_at"), participations__organisation=OuterRef("profile__organisation"))
        .filter(participations__organisation=OuterRef("requester_org"))
    )
    return Introduction.objects.filter(profile__in=profiles.values("pk")).annotate(
        is_joint=Exists(joint), is_endorsed=Exists(joint.filter(status__in=PUBLIC_STATUSES))
    )


def _stage_counts(prefix: str = "") -> dict[str, Count]:
    accepted = Q(status="accepted")
    return {
        "interests": Count("id", distinct=bool(prefix)),
        "introductions": Count("id", filter=accepted, distinct=bool(prefix)),
        "joint": Count("id", filter=accepted & Q(is_joint=True), distinct=bool(prefix)),
        "endorsed": Count("id", filter=accepted & Q(is_endorsed=True), distinct=bool(prefix)),
    }


def funnel(user: Any) -> Funnel:
    """The funnel over what ``user`` may see (see the module's docstring)."""
    from serai.network.models import CooperationProfile
    from serai.reference.models import CooperationField, MemberState

    profiles = CooperationProfile.objects.filter(permissions.profile_visibility_q(user))
    intros = _introductions(user, profiles)

    total = Row("", _("All"))
    total.counts["profiles"] = profiles.count()
    total.counts.update(intros.aggregate(**_stage_counts()))

    states = {s.iso2: s for s in MemberState.objects.order_by("sort_order")}
    countries: dict[str, Row] = {iso2: Row(iso2, s.name) for iso2, s in states.items()}

    def country_row(iso2: str | None, other: str | None) -> Row:
        code = iso2 or other or ""
        if code not in countries:
            countries[code] = Row(code, code or _("No country"))
        return countries[code]

    for iso2, other, n in (
        profiles.order_by()
        .values_list("organisation__member_state__iso2", "organisation__other_country")
        .annotate(n=Count("id"))
    ):
        country_row(iso2, other).counts["profiles"] += n
    for item in (
        intros.order_by()
        .values("profile__organisation__member_state__iso2", "profile__organisation__other_country")
        .annotate(**_stage_counts())
    ):
        row = country_row(
            item["profile__organisation__member_state__iso2"], item["profile__organisation__other_country"]
        )
        for stage in STAGES[1:]:
            row.counts[stage] += item[stage]

    fields = {f.code: Row(f.code, f.name) for f in CooperationField.objects.order_by("sort_order", "code")}

    def field_row(code: str | None) -> Row:
        code = code or ""
        if code not in fields:
            fields[code] = Row(code, _("No field"))
        return fields[code]

    for code, n in profiles.order_by().values_list("fields__code").annotate(n=Count("id", distinct=True)):
        field_row(code).counts["profiles"] += n
    for item in intros.order_by().values("profile__fields__code").annotate(**_stage_counts("profile__fields")):
        row = field_row(item["profile__fields__code"])
        for stage in STAGES[1:]:
            row.counts[stage] += item[stage]

    member_order = list(states)
    by_country = [countries[c] for c in member_order] + sorted(
        (r for c, r in countries.items() if c not in states), key=lambda r: r.key
    )
    by_field = [r for r in fields.values()]
    return Funnel(total=total, by_country=by_country, by_field=by_field)


def label_text(label: Any) -> str:
    """A row's label in the active language (country and field names are translated text)."""
    return label.get() if isinstance(label, TranslatedText) else str(label)


def chart(rows: list[Row], title: str) -> dict:
    """A grouped bar chart (plotly JSON, drawn by serai/charts.js) of each stage per row."""
    from serai.evidence import charts

    labels = [label_text(r.label) for r in rows]
    series = {str(STAGE_LABELS[s]): [r.counts[s] for r in rows] for s in STAGES}
    return charts.bars(labels, series, title, str(_("Count")))
