from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from serai.access import permissions
from serai.core.forms import parse_query, run_operation
from serai.core.paging import paginate, query_without_page
from serai.reference import queries as reference_queries

from . import operations, queries
from .forms import OrganisationFilterForm, OrganisationForm
from .models import Helix


def organisation_list(request):
    params = parse_query(OrganisationFilterForm, request)
    helix, country, field = params["helix"] or None, params["country"] or None, params["field"] or None
    qs = queries.filter_organisations(queries.organisations(request.user), helix=helix, country=country, field=field)
    return render(
        request,
        "orgs/organisation_list.html",
        {
            "page": paginate(request, qs),
            "query": query_without_page(request),
            "helix_choices": Helix.choices,
            "member_states": reference_queries.member_states(request.user),
            "fields": reference_queries.cooperation_fields(request.user),
            "selected": {"helix": helix or "", "country": (country or "").upper(), "field": field or ""},
            "can_create": permissions.can(request.user, "organisation.create_any"),
        },
    )


def organisation_detail(request, pk: int):
    org = get_object_or_404(queries.organisations(request.user), pk=pk)
    return render(
        request,
        "orgs/organisation_detail.html",
        {
            "org": org,
            "people": queries.people(request.user, org),
            "can_edit": permissions.can(request.user, "organisation.edit", org),
        },
    )


def _save(request, form, org=None):
    values, fields = form.split()
    if org is None:
        return run_operation(form, lambda: operations.create_organisation(request.user, values, fields))
    return run_operation(
        form,
        lambda: operations.update_organisation(
            request.user, org, values, fields, expected_version=form.cleaned_data.get("version")
        ),
    )


@login_required
def organisation_create(request):
    permissions.require(request.user, "organisation.create_any")
    form = OrganisationForm(request.POST or None, allowed_states=queries.creatable_states(request.user))
    if request.method == "POST" and form.is_valid():
        org = _save(request, form)
        if org is not None:
            messages.success(request, _("The organisation was added."))
            return redirect("organisation_detail", pk=org.pk)
    return render(request, "orgs/organisation_form.html", {"form": form, "org": None})


@login_required
def organisation_edit(request, pk: int):
    org = get_object_or_404(queries.organisations(request.user), pk=pk)
    permissions.require(request.user, "organisation.edit", org)
    allowed = queries.creatable_states(request.user)
    if org.member_state_id:
        allowed = allowed | reference_queries.member_states(request.user).filter(pk=org.member_state_id)
    form = OrganisationForm(request.POST or None, instance=org, allowed_states=allowed.distinct())
    if request.method == "POST" and form.is_valid():
        saved = _save(request, form, org)
        if saved is not None:
            messages.success(request, _("Your changes were saved."))
            return redirect("organisation_detail", pk=saved.pk)
    return render(request, "orgs/organisation_form.html", {"form": form, "org": org})
