from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from serai.access import permissions
from serai.core.forms import parse_query, run_operation
from serai.core.paging import paginate, query_without_page

from . import operations, queries
from .forms import PersonFilterForm, PersonForm


def person_list(request):
    qs = queries.people(request.user)
    country = parse_query(PersonFilterForm, request)["country"]
    if country:
        qs = qs.filter(member_state__iso2=country)
    return render(
        request,
        "people/person_list.html",
        {
            "page": paginate(request, qs),
            "query": query_without_page(request),
            "country": country,
            "can_create": permissions.can(request.user, "person.create"),
        },
    )


def person_detail(request, pk: int):
    person = get_object_or_404(queries.people(request.user).prefetch_related("fields"), pk=pk)
    return render(
        request,
        "people/person_detail.html",
        {"person": person, "can_edit": permissions.can(request.user, "person.edit", person)},
    )


def _save(request, form, person=None):
    values, fields = form.split()
    if person is None:
        return run_operation(form, lambda: operations.create_person(request.user, values, fields))
    return run_operation(
        form,
        lambda: operations.update_person(
            request.user, person, values, fields, expected_version=form.cleaned_data.get("version")
        ),
    )


@login_required
def person_create(request):
    permissions.require(request.user, "person.create", None)
    form = PersonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        person = _save(request, form)
        if person is not None:
            messages.success(request, _("The person was added."))
            return redirect("person_detail", pk=person.pk)
    return render(request, "people/person_form.html", {"form": form, "person": None})


@login_required
def person_edit(request, pk: int):
    person = get_object_or_404(queries.people(request.user), pk=pk)
    permissions.require(request.user, "person.edit", person)
    form = PersonForm(request.POST or None, instance=person)
    if request.method == "POST" and form.is_valid():
        saved = _save(request, form, person)
        if saved is not None:
            messages.success(request, _("Your changes were saved."))
            return redirect("person_detail", pk=saved.pk)
    return render(request, "people/person_form.html", {"form": form, "person": person})
