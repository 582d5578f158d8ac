"""Pages of the cooperation network's profiles, introductions and expertise: thin — parse, call
queries or operations, render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from serai.access import permissions
from serai.core.forms import error_text, parse_query, run_operation
from serai.core.paging import paginate, query_without_page
from serai.orgs.models import Helix
from serai.people import queries as people_queries
from serai.reference import queries as reference_queries

from . import operations, queries, workflow
from .forms import DecisionForm, ExpertiseForm, InterestForm, ProfileFilterForm, ProfileForm, ProfileTransitionForm
from .models import WORK_LANGUAGES, CooperationProfile, ProfileKind


def profile_list(request):
    """Published, still valid profiles (what everyone sees), filtered and paginated."""
    f = queries.Filters.of(parse_query(ProfileFilterForm, request))  # a bad parameter answers 400
    page = paginate(request, queries.for_list(queries.filtered(request.user, f)))
    return render(
        request,
        "network/profile_list.html",
        {
            "page": page,
            "query": query_without_page(request),
            "f": f,
            "member_states": reference_queries.member_states(request.user),
            "fields": reference_queries.field_choices(request.user),
            "kind_choices": ProfileKind.choices,
            "helix_choices": Helix.choices,
            "language_choices": list(WORK_LANGUAGES.items()),
            "can_create": permissions.can(request.user, "profile.create"),
            "can_moderate": permissions.can(request.user, "profile.moderation_queue"),
        },
    )


def _detail_or_404(user, pk: int) -> CooperationProfile:
    try:
        return queries.detail(user, pk)
    except CooperationProfile.DoesNotExist:
        raise Http404(_("No such profile.")) from None


def profile_detail(request, pk: int):
    profile = _detail_or_404(request.user, pk)
    can_interest = permissions.can(request.user, "introduction.request", profile)
    organisations = queries.requester_organisations(request.user, profile) if can_interest else None
    offer_interest = organisations is not None and organisations.exists()
    return render(
        request,
        "network/profile_detail.html",
        {
            "profile": profile,
            "can_edit": permissions.can(request.user, "profile.edit", profile),
            "transitions": [t for t in workflow.PROFILE_MACHINE.available(request.user, profile) if t.name != "expire"],
            "interest_form": InterestForm(organisations=organisations) if offer_interest else None,
            "contacts": queries.organisation_contacts(request.user, profile.organisation),
            "contacts_visible": queries.contacts_visible(request.user, profile.organisation),
            "seeks": [Helix(h).label for h in profile.seeks_helix if h in Helix.values],
        },
    )


@login_required
def profile_create(request):
    permissions.require(request.user, "profile.create")
    form = ProfileForm(request.POST or None, organisations=queries.editable_organisations(request.user))
    if request.method == "POST" and form.is_valid():
        profile = run_operation(
            form,
            lambda: operations.create_profile(request.user, form.cleaned_data["organisation"], form.values()),
            refusal_on_form=True,
        )
        if profile is not None:
            messages.success(request, _("The profile was saved as a draft. Submit it for moderation when it is ready."))
            return redirect("network_profile_detail", pk=profile.pk)
    return render(request, "network/profile_form.html", {"form": form, "profile": None})


@login_required
def profile_edit(request, pk: int):
    profile = _detail_or_404(request.user, pk)
    permissions.require(request.user, "profile.edit", profile)
    form = ProfileForm(request.POST or None, instance=profile)
    if request.method == "POST" and form.is_valid():
        saved = run_operation(
            form,
            lambda: operations.update_profile(
                request.user, profile, form.values(), expected_version=form.cleaned_data.get("version")
            ),
            refusal_on_form=True,
        )
        if saved is not None:
            messages.success(request, _("The profile was saved."))
            return redirect("network_profile_detail", pk=pk)
    return render(request, "network/profile_form.html", {"form": form, "profile": profile})


@login_required
@require_POST
def profile_transition(request, pk: int):
    profile = _detail_or_404(request.user, pk)
    form = ProfileTransitionForm(request.POST)
    if not form.is_valid():
        messages.error(request, error_text(form))
    else:
        try:
            moved = operations.fire_profile(
                request.user, profile, form.cleaned_data["name"], reason=form.cleaned_data["reason"]
            )
            messages.success(request, _("The profile is now “%(status)s”.") % {"status": moved.get_status_display()})
        except workflow.TransitionError as exc:
            messages.error(request, " ".join(exc.problems))
    if not queries.profiles(request.user).filter(pk=pk).exists():
        return redirect("network_profile_list")
    if request.POST.get("next") == "moderation":
        return redirect("network_moderation")
    return redirect("network_profile_detail", pk=pk)


@login_required
@require_POST
def profile_interest(request, pk: int):
    profile = _detail_or_404(request.user, pk)
    permissions.require(request.user, "introduction.request", profile)
    form = InterestForm(request.POST, organisations=queries.requester_organisations(request.user, profile))
    if form.is_valid():
        intro = run_operation(
            form,
            lambda: operations.express_interest(
                request.user, profile, form.cleaned_data["requester_org"], form.cleaned_data["message"]
            ),
        )
        if intro is not None:
            messages.success(request, _("Your interest was sent to the organisation's editors."))
            return redirect("network_introductions")
    messages.error(request, error_text(form))
    return redirect("network_profile_detail", pk=pk)


@login_required
def profiles_mine(request):
    return render(
        request,
        "network/profile_mine.html",
        {
            "profiles": queries.my_profiles(request.user),
            "can_create": permissions.can(request.user, "profile.create"),
        },
    )


@login_required
def moderation(request):
    permissions.require(request.user, "profile.moderation_queue")
    return render(request, "network/profile_moderation.html", {"profiles": queries.moderation_queue(request.user)})


@login_required
def introductions(request):
    split = queries.introductions_for(request.user)
    return render(
        request,
        "network/introduction_list.html",
        {
            **split,
            "contacts": queries.revealed_contacts(request.user),
            "is_secretariat": permissions.principal(request.user).secretariat,
        },
    )


@login_required
@require_POST
def introduction_decide(request, pk: int):
    intro = get_object_or_404(queries.introductions(request.user), pk=pk)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, error_text(form))
        return redirect("network_introductions")
    try:
        moved = operations.fire_introduction(
            request.user, intro, form.cleaned_data["name"], reason=form.cleaned_data["reason"]
        )
        messages.success(request, _("The introduction is now “%(status)s”.") % {"status": moved.get_status_display()})
    except workflow.TransitionError as exc:
        messages.error(request, " ".join(exc.problems))
    return redirect("network_introductions")


def expertise_list(request):
    """People listed in the network with their expertise (never their contact details here)."""
    qs = queries.expertise(request.user).order_by("person__id")
    return render(
        request, "network/expertise_list.html", {"page": paginate(request, qs), "query": query_without_page(request)}
    )


@login_required
def expertise_edit(request, person_pk: int):
    person = get_object_or_404(people_queries.people(request.user), pk=person_pk)
    permissions.require(request.user, "expertise.edit", person)
    current = queries.expertise_of(person)
    initial = {}
    if current is not None:
        initial = {
            "fields": list(current.fields.all()),
            "keywords": current.keywords,
            "languages": current.languages,
            "listed": current.listed,
        }
    form = ExpertiseForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        saved = run_operation(form, lambda: operations.set_expertise(request.user, person, **form.cleaned_data))
        if saved is not None:
            messages.success(request, _("The expertise was saved."))
            return redirect("person_detail", pk=person.pk)
    return render(request, "network/expertise_form.html", {"form": form, "person": person})
