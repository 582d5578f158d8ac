"""Find partners (for a profile, a project, a trade opportunity row, or a free query) and the
consortium builder of a project. Thin: parse the query string or form, read through queries and
the cached index, word the reasons, render; the only write goes through
``serai.network.operations.add_partners`` (the projects' audited participation operation)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from serai.access import permissions
from serai.core.forms import parse_query, run_operation
from serai.orgs import queries as org_queries
from serai.orgs.models import Helix
from serai.projects import queries as project_queries
from serai.projects.models import Participation, Project
from serai.reference.models import CooperationField, MemberState
from serai.trade.codes import CENTRAL_ASIA

from . import consortium as consortium_mod
from . import index as match_index
from . import operations, queries, starts
from .forms_match import (
    ConsortiumAddForm,
    FreeQueryForm,
    MatchFilterForm,
    TradeQueryForm,
)
from .reasons import Names, gap_sentence, worded

RESULTS = 20


@dataclass
class Row:
    """One result: the organisation, the profile (if the match is a profile), the reasons in words."""

    org: Any
    profile: Any
    score: float
    reasons: list[str]  # reasons.Worded: the words, and .code
    profile_url: str = ""


def _fields(request) -> list[CooperationField]:
    """The cooperation fields, read once per request (filter choices, the filter form, reason names)."""
    if not hasattr(request, "_network_fields"):
        request._network_fields = list(CooperationField.objects.all())
    return request._network_fields


def _field_codes(request) -> list[str]:
    return [f.code for f in _fields(request)]


def _profile_url(pk: int) -> str:
    try:
        return reverse("network_profile_detail", args=[pk])
    except NoReverseMatch:  # the profile pages are another part's; the result still names the profile
        return ""


def _run(query, data: dict, *, k: int = RESULTS) -> list:
    kinds = (data["kind"],) if data.get("kind") else ("org", "profile")
    return match_index.get_index().match(
        query,
        k=k,
        country=data.get("country") or None,
        helix=data.get("helix") or None,
        field=data.get("field") or None,
        language=data.get("language") or None,
        kinds=kinds,
    )


def present(user, matches: list, fields: list | None = None) -> tuple[list[Row], Names]:
    """The matches as rows the viewer may see, with their reasons in words (a fixed number of queries).
    A profile the viewer may not see is left out (the index holds public profiles only; this is
    the second guard)."""
    org_ids = {m.org_id for m in matches}
    profile_ids = {int(m.key.split(":", 1)[1]) for m in matches if m.key.startswith("profile:")}
    orgs = {o.pk: o for o in org_queries.organisations(user).filter(pk__in=org_ids)}
    profiles = {p.pk: p for p in queries.profiles(user).filter(pk__in=profile_ids)} if profile_ids else {}
    names = Names.load(matches, fields=fields)
    rows = []
    for m in matches:
        org = orgs.get(m.org_id)
        if org is None:
            continue
        profile = None
        if m.key.startswith("profile:"):
            profile = profiles.get(int(m.key.split(":", 1)[1]))
            if profile is None:
                continue
        rows.append(
            Row(
                org,
                profile,
                m.score,
                [worded(r, names) for r in m.reasons],
                _profile_url(profile.pk) if profile else "",
            )
        )
    return rows, names


def _filters_context(request, data: dict) -> dict:
    return {
        "helix_choices": Helix.choices,
        "member_states": MemberState.objects.all(),
        "fields": _fields(request),
        "languages": MatchFilterForm.base_fields["language"].choices[1:],
        "selected": {k: data.get(k) or "" for k in ("country", "helix", "field", "language", "kind")},
    }


def _page(request, template: str, query, data: dict, extra: dict) -> Any:
    rows, _names = present(request.user, _run(query, data), _fields(request))
    return render(request, template, {"rows": rows, **_filters_context(request, data), **extra})


def match_free(request):
    """The free query form: words in any language, a field, a DAC sector, an HS4 product."""
    data = parse_query(FreeQueryForm, request, field_codes=_field_codes(request))
    asked = any(data.get(k) for k in ("q", "field", "sector", "hs4", "country", "helix", "language"))
    query = starts.query_free(
        text=data["q"], field=data["field"], sector=data["sector"], hs4=data["hs4"], helix=data["helix"]
    )
    rows = present(request.user, _run(query, data), _fields(request))[0] if asked else []
    return render(
        request,
        "network/match_free.html",
        {
            "rows": rows,
            "asked": asked,
            "q": data["q"],
            "sector": data["sector"],
            "hs4": data["hs4"],
            **_filters_context(request, data),
        },
    )


def match_profile(request, pk: int):
    """Partners for a profile the viewer may see (the owner's draft too)."""
    data = parse_query(MatchFilterForm, request, field_codes=_field_codes(request))
    profile = get_object_or_404(
        queries.profiles(request.user)
        .select_related("organisation", "organisation__member_state")
        .prefetch_related("fields", "dac_sectors", "target_countries"),
        pk=pk,
    )
    return _page(
        request,
        "network/match_profile.html",
        starts.query_for_profile(profile),
        data,
        {"profile": profile, "profile_url": _profile_url(profile.pk)},
    )


def _project(user, pk: int) -> Project:
    return get_object_or_404(
        project_queries.projects(user)
        .select_related("created_by")
        .prefetch_related(
            "countries",
            "editors",
            "sectors__field",
            "sectors__dac_sector",
            Prefetch(
                "participations",
                queryset=Participation.objects.select_related("organisation", "organisation__member_state"),
            ),
        ),
        pk=pk,
    )


def match_project(request, pk: int):
    """Partners for a project the viewer may see (draft or running)."""
    data = parse_query(MatchFilterForm, request, field_codes=_field_codes(request))
    project = _project(request.user, pk)
    return _page(
        request,
        "network/match_project.html",
        starts.query_for_project(project),
        data,
        {"project": project, "can_build": permissions.can(request.user, "project.edit", project)},
    )


def match_trade(request):
    """Partners for a row of the trade pair page's opportunity table (trade evidence is public)."""
    data = parse_query(TradeQueryForm, request, field_codes=_field_codes(request))
    iso2 = dict(MemberState.objects.values_list("iso3", "iso2"))

    def side(code: str) -> list[str]:
        return [iso2.get(c, c[:2]) for c in (CENTRAL_ASIA if code == "CA5" else (code,))]

    countries = [*side(data["exporter"]), *side(data["market"])]
    query = starts.query_for_trade(countries=countries, level=data["level"], code=data["code"])
    filters = dict(data)
    if not filters.get("country"):
        filters["country"] = countries
    rows = present(request.user, _run(query, filters), _fields(request))[0]
    return render(request, "network/match_trade.html", {"rows": rows, "trade": data, **_filters_context(request, data)})


# --- the consortium builder ------------------------------------------------------------------------
def _proposal(project: Project):
    features = starts.project_features(project)
    return consortium_mod.propose(
        match_index.get_index(),
        countries=features["countries"],
        fields=features["fields"],
        sectors=features["sectors"],
        hs4=features["hs4"],
        texts=features["texts"],
        participants=starts.participants_of(project),
    )


def _candidates(proposal) -> list[int]:
    return [m.org_id for slot in proposal.slots for m in slot.candidates if not slot.filled]


@login_required
@require_http_methods(["GET", "POST"])
def consortium(request, pk: int):
    """The proposed consortium of a project (country × helix, gaps named); the chosen partners
    are added as participants. For those who may edit the project's participants."""
    project = _project(request.user, pk)
    if not permissions.can(request.user, "project.edit", project):
        raise PermissionDenied(_("You may not change this project's participants."))
    proposal = _proposal(project)
    form = ConsortiumAddForm(request.POST or None, candidates=_candidates(proposal))
    if request.method == "POST" and form.is_valid():
        added = run_operation(
            form,
            lambda: operations.add_partners(
                request.user, project, form.cleaned_data["organisations"], form.cleaned_data["role"]
            ),
        )
        if added is not None:
            messages.success(
                request,
                ngettext(
                    "%(n)s partner was added to the project.", "%(n)s partners were added to the project.", len(added)
                )
                % {"n": len(added)},
            )
            return redirect("network_consortium", pk=project.pk)
    matches = [m for slot in proposal.slots for m in slot.candidates]
    rows, names = present(request.user, matches, _fields(request))
    by_key = {(r.org.pk, r.profile.pk if r.profile else None): r for r in rows}

    def row_of(m):
        pid = int(m.key.split(":", 1)[1]) if m.key.startswith("profile:") else None
        return by_key.get((m.org_id, pid))

    members = {p.organisation_id: p.organisation for p in project.participations.all()}
    table = []
    for country, slots in proposal.rows():
        cells = []
        for slot in slots:
            cells.append(
                {
                    "slot": slot,
                    "members": [members[o] for o in slot.members if o in members],
                    "candidates": [r for r in (row_of(m) for m in slot.candidates) if r is not None],
                    "gap": gap_sentence(slot.country, slot.helix, names) if slot.gap else "",
                }
            )
        table.append({"country": names.country(country), "code": country, "cells": cells})
    return render(
        request,
        "network/consortium_builder.html",
        {
            "project": project,
            "table": table,
            "helices": [(h, dict(Helix.choices)[h]) for h in proposal.helices],
            "gaps": [gap_sentence(s.country, s.helix, names) for s in proposal.gaps],
            "form": form,
            "chosen": set(form.data.getlist("organisations")) if form.is_bound else set(),
        },
    )
