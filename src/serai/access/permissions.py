"""Object-level permissions: the one place that decides who may do what.

Roles (see :class:`~serai.access.models.Role`) are scoped:

* Secretariat staff — everywhere;
* national focal point — per member state;
* subcommittee member — per subcommittee (or working group);
* partner organisation editor — per organisation;
* public — anonymous visitors, and signed-in users with no role.

:func:`can` answers a single question; the ``*_q`` functions give the same rule as a query
filter, so that ``queries`` modules never show a row that :func:`can` would refuse. A test
checks each pair against each other, and a matrix test covers every role × action.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db.models import CharField, F, IntegerField, Q, Value
from django.utils import timezone
from django.utils.translation import gettext as _

from serai.core import stamps
from serai.core.audit import SystemActor
from serai.core.rows import rows_where

from .models import Role, RoleAssignment


@dataclass(frozen=True)
class Principal:
    user_id: int | None
    secretariat: bool = False
    countries: frozenset[int] = field(default_factory=frozenset)
    bodies: frozenset[int] = field(default_factory=frozenset)
    organisations: frozenset[int] = field(default_factory=frozenset)

    @property
    def is_public(self) -> bool:
        return not (self.secretariat or self.countries or self.bodies or self.organisations)

    @property
    def roles(self) -> list[str]:
        out = []
        if self.secretariat:
            out.append(Role.SECRETARIAT)
        if self.countries:
            out.append(Role.FOCAL_POINT)
        if self.bodies:
            out.append(Role.SUBCOMMITTEE_MEMBER)
        if self.organisations:
            out.append(Role.ORG_EDITOR)
        return out


ANONYMOUS = Principal(user_id=None)


def principal(user: Any) -> Principal:
    """The user's roles, read once per request and cached on the user object."""
    if isinstance(user, SystemActor):
        return Principal(user_id=None, secretariat=True)
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return ANONYMOUS
    cached = getattr(user, "_serai_principal", None)
    if cached is not None:
        return cached
    # Kept between requests, keyed by what decides it: role assignments and seats are written
    # through audited operations, which move their tables' stamps; a seat's term runs by date.
    t = stamps.tables()
    key = (
        f"principal:{user.pk}:{int(user.is_superuser)}:{timezone.localdate().isoformat()}:"
        f"{t.get(stamps.EPOCH, 0)}:{t.get('access.roleassignment', 0)}:{t.get('governance.membership', 0)}"
    )
    result = cache.get(key)
    if result is None:
        result = _read_principal(user)
        cache.set(key, result, 3600)
    user._serai_principal = result
    return result


def _read_principal(user: Any) -> Principal:
    """The user's roles and the bodies they sit on today, read from the database (one query)."""
    secretariat = False
    countries, bodies, organisations = set(), set(), set()
    today = timezone.localdate()
    # the bodies the user sits on: a seat (governance's Membership) of the user's person whose term
    # runs today, read from the user's side by field name (governance sits above access)
    seated = Q(person__memberships__start_date__lte=today) & (
        Q(person__memberships__end_date__isnull=True) | Q(person__memberships__end_date__gte=today)
    )
    seats = (
        get_user_model()
        ._base_manager.filter(seated, pk=user.pk)
        .annotate(
            role=Value(Role.SUBCOMMITTEE_MEMBER, output_field=CharField()),
            ms=Value(None, output_field=IntegerField()),
            seat=F("person__memberships__body_id"),
            org=Value(None, output_field=IntegerField()),
        )
        .values_list("role", "ms", "seat", "org")
        .order_by()
    )
    # one query: the user's role assignments and the bodies they currently sit on
    for role, ms, body, org in (
        RoleAssignment.objects.filter(user=user)
        .values_list("role", "member_state_id", "body_id", "organisation_id")
        .order_by()
        .union(seats, all=True)
    ):
        if role == Role.SECRETARIAT:
            secretariat = True
        elif role == Role.FOCAL_POINT:
            countries.add(ms)
        elif role == Role.SUBCOMMITTEE_MEMBER:
            bodies.add(body)
        elif role == Role.ORG_EDITOR:
            organisations.add(org)
    return Principal(
        user.pk, secretariat or user.is_superuser, frozenset(countries), frozenset(bodies), frozenset(organisations)
    )


def signature(user: Any) -> str:
    """Every role and scope ``user`` holds, as a string (a cache key part: two users with the same
    signature and the same id see the same pages)."""
    p = principal(user)
    return f"{int(p.secretariat)}:{sorted(p.countries)}:{sorted(p.bodies)}:{sorted(p.organisations)}"


def forget(user: Any) -> None:
    """Drop the cached roles after they changed."""
    if user is not None and hasattr(user, "_serai_principal"):
        del user._serai_principal


# --- rules --------------------------------------------------------------------------------
Rule = Callable[[Principal, Any], bool]


def _secretariat(p: Principal, obj: Any = None) -> bool:
    return p.secretariat


def _anyone(p: Principal, obj: Any = None) -> bool:
    return True


def _org_create(p: Principal, country: Any = None) -> bool:
    """``country`` is the member state (or its id) the new organisation belongs to (None: no member
    state, the Secretariat's only). Moving an organisation to another country is checked the same way."""
    country_id = getattr(country, "pk", country)
    return p.secretariat or (country_id is not None and country_id in p.countries)


def _org_create_any(p: Principal, _: Any = None) -> bool:
    """May add an organisation in some member state: the "Add an organisation" link and the empty
    form (the Secretariat, and focal points for their countries)."""
    return p.secretariat or bool(p.countries)


def _org_edit(p: Principal, org: Any) -> bool:
    return p.secretariat or org.member_state_id in p.countries or org.pk in p.organisations


def _person_view(p: Principal, person: Any) -> bool:
    return person.is_public or _person_view_contact(p, person)


def _person_view_contact(p: Principal, person: Any) -> bool:
    return (
        p.secretariat
        or (person.member_state_id is not None and person.member_state_id in p.countries)
        or (person.organisation_id is not None and person.organisation_id in p.organisations)
        or (p.user_id is not None and person.user_id == p.user_id)
    )


def _person_create(p: Principal, scope: Any = None) -> bool:
    """``scope`` is ``(member_state_id, organisation_id)`` of the new person; without a scope: may
    this principal add anyone at all (the "Add a person" link and the empty form)."""
    if scope is None:
        return p.secretariat or bool(p.countries) or bool(p.organisations)
    country_id, org_id = scope
    return p.secretariat or (country_id in p.countries) or (org_id in p.organisations)


def _body_internal(p: Principal, body: Any) -> bool:
    return p.secretariat or body.pk in p.bodies


# --- projects -------------------------------------------------------------------------------
PROJECT_CLOSED = ("declined", "withdrawn", "evaluated")
# projects.models.PUBLIC_STATUSES by value (projects sits above access; a test keeps them equal)
PROJECT_PUBLIC = ("endorsed", "implementation", "suspended", "completed", "evaluated")


def _project_editor(p: Principal, project: Any) -> bool:
    if p.user_id is None:
        return False
    return project.created_by_id == p.user_id or any(u.pk == p.user_id for u in project.editors.all())


def _project_focal_point(p: Principal, project: Any) -> bool:
    return bool(p.countries) and any(c.pk in p.countries for c in project.countries.all())


def _project_propose(p: Principal, _: Any = None) -> bool:
    """Anyone with a role may put forward an idea (the operation checks the countries involved)."""
    return p.secretariat or bool(p.countries or p.bodies or p.organisations)


def _project_view(p: Principal, project: Any) -> bool:
    if project.is_public or p.secretariat:
        return True
    if project.status == "appraisal" and project.subcommittee_id in p.bodies:
        return True  # the subcommittee appraises it
    return _project_editor(p, project) or _project_focal_point(p, project)


def _project_edit(p: Principal, project: Any) -> bool:
    if p.secretariat:
        return True
    if project.status in PROJECT_CLOSED:
        return False
    return _project_editor(p, project) or _project_focal_point(p, project)


def _appraisal_view(p: Principal, project: Any) -> bool:
    """Who reads a project's appraisals (every appraiser's scores and comment): the Secretariat,
    which screens and recommends, and the members of the project's subcommittee, who appraise it
    and weigh each other's scores. Not the focal points of the countries involved, nor the
    project's editors or partners: they are the proponents, and the appraisal is the
    subcommittee's own judgement of their proposal. Its outcome reaches them as the
    recommendation, or as a return with its reason, on the project's timeline."""
    return p.secretariat or (project.subcommittee_id is not None and project.subcommittee_id in p.bodies)


def _participating_editor(p: Principal, project: Any) -> bool:
    return bool(p.organisations) and any(pa.organisation_id in p.organisations for pa in project.participations.all())


def _project_report_results(p: Principal, project: Any) -> bool:
    """Report progress on the results framework (save and submit indicator updates): whoever may
    edit the project, and the editors of its participating organisations once the project is
    public (endorsed, in implementation, suspended or completed) — they deliver it."""
    if _project_edit(p, project):
        return True
    return project.is_public and project.status not in PROJECT_CLOSED and _participating_editor(p, project)


def _project_manage_editors(p: Principal, project: Any) -> bool:
    """Name or remove a project's editors: the Secretariat, and the proponents — the project's
    creator and the focal points of the countries involved — while the project is open."""
    if p.secretariat:
        return True
    if project.status in PROJECT_CLOSED:
        return False
    return (p.user_id is not None and project.created_by_id == p.user_id) or _project_focal_point(p, project)


def _project_history_detail(p: Principal, project: Any) -> bool:
    """Who reads a project timeline's details — who moved it, and the reason they wrote (a return,
    a decline): the people who work on the project and may see it — the Secretariat, its editors,
    the focal points of its countries, its subcommittee and the editors of its participating
    organisations. Everyone else sees the dates and the moves only: no user names, no free text."""
    if not _project_view(p, project):
        return False
    return (
        p.secretariat
        or _project_editor(p, project)
        or _project_focal_point(p, project)
        or (project.subcommittee_id is not None and project.subcommittee_id in p.bodies)
        or _participating_editor(p, project)
    )


def _project_create(p: Principal, countries: Any = None) -> bool:
    """Put a new project in ``countries`` (an iterable of member states; None: anywhere at all): the
    Secretariat, subcommittee members and partner organisations' editors anywhere; a focal point
    only with one of their countries among them. Moving an existing project to other countries
    is checked the same way."""
    if p.secretariat or p.organisations or p.bodies:
        return True
    return bool(p.countries) and any(c.pk in p.countries for c in (countries or ()))


def _project_proponent(p: Principal, project: Any) -> bool:
    """The project's own people: its creator and editors, and the focal points of its countries
    (not the Secretariat as such: "returned to me" lists what the user proposed)."""
    return _project_editor(p, project) or _project_focal_point(p, project)


def _project_move_as_proponent(p: Principal, project: Any) -> bool:
    """Submit or withdraw a proposal: the Secretariat and the project's proponents."""
    return p.secretariat or _project_proponent(p, project)


def _project_appraise(p: Principal, project: Any) -> bool:
    """Appraise a project, return it for revision or recommend it: the Secretariat and the members
    of its subcommittee."""
    return p.secretariat or (project.subcommittee_id is not None and project.subcommittee_id in p.bodies)


def _project_implement(p: Principal, project: Any) -> bool:
    """Start or complete implementation: the Secretariat and the project's editors."""
    return p.secretariat or _project_editor(p, project)


def _results_submit(p: Principal, update: Any) -> bool:
    """Submit (or revise) an indicator update: whoever reports the project's results."""
    return _project_report_results(p, update.indicator.result.project)


# --- governance ---------------------------------------------------------------------------------
MEETING_PUBLIC = ("held", "planned")


def _meeting_view(p: Principal, m: Any = None) -> bool:
    return m is None or p.secretariat or m.status in MEETING_PUBLIC


def _decision_view(p: Principal, d: Any = None) -> bool:
    return (
        d is None or p.secretariat or d.status == "adopted" or (d.status == "draft" and d.meeting.body_id in p.bodies)
    )


def _document_view(p: Principal, d: Any = None) -> bool:
    return (
        d is None
        or p.secretariat
        or d.meeting.body_id in p.bodies
        or (d.is_public and d.meeting.status in MEETING_PUBLIC)
    )


def _workplan_view(p: Principal, w: Any = None) -> bool:
    return w is None or p.secretariat or w.status == "adopted"


def _action_own(p: Principal, a: Any = None) -> bool:
    """The action's owner: a focal point of its country, an editor of its organisation, or the
    person it names (through their login)."""
    return a is not None and (
        (a.owner_country_id is not None and a.owner_country_id in p.countries)
        or (a.owner_organisation_id is not None and a.owner_organisation_id in p.organisations)
        or (a.owner_person_id is not None and p.user_id is not None and a.owner_person.user_id == p.user_id)
    )


def _action_update(p: Principal, a: Any = None) -> bool:
    return a is not None and (p.secretariat or _action_own(p, a))


MINUTES_CIRCULATED = ("circulated", "amended")


def _minutes_review(p: Principal, m: Any) -> bool:
    """Minutes waiting for the user: circulated ones of their bodies (every body's for the
    Secretariat), and for the Secretariat the drafts of held meetings."""
    if m.status in MINUTES_CIRCULATED:
        return p.secretariat or m.meeting.body_id in p.bodies
    return p.secretariat and m.status == "draft" and m.meeting.status == "held"


# --- the control room (pipeline board, action completion) -------------------------------------
def _controlroom_view(p: Principal, _: Any = None) -> bool:
    """The Secretariat's control room: the Secretariat, and the focal points for their countries."""
    return p.secretariat or bool(p.countries)


def _controlroom_project(p: Principal, project: Any) -> bool:
    """A project on the pipeline board: every project for the Secretariat; for a focal point, the
    projects of their countries only."""
    return p.secretariat or _project_focal_point(p, project)


def _action_country_id(action: Any) -> int | None:
    """The country an action counts for: its owner country, or its organisation's or person's."""
    if action.owner_country_id is not None:
        return action.owner_country_id
    if action.owner_organisation_id is not None:
        return action.owner_organisation.member_state_id
    if action.owner_person_id is not None:
        return action.owner_person.member_state_id
    return None


def _controlroom_action(p: Principal, action: Any) -> bool:
    """An action item in the completion figures: all for the Secretariat; for a focal point, those
    their countries owe (directly, or through an organisation or person of the country)."""
    return p.secretariat or (bool(p.countries) and _action_country_id(action) in p.countries)


# --- the cooperation network (profiles, expertise, introductions) ---------------------------
PROFILE_OWNER_EDITABLE = ("draft", "submitted")


def _profile_is_live(profile: Any) -> bool:
    return profile.status == "published" and (
        profile.valid_until is None or profile.valid_until >= timezone.localdate()
    )


def _profile_owner(p: Principal, profile: Any) -> bool:
    """An editor of the organisation the profile belongs to."""
    return profile.organisation_id in p.organisations


def _profile_moderator(p: Principal, profile: Any) -> bool:
    """The Secretariat, and the focal points of the profile's organisation's country."""
    if p.secretariat:
        return True
    country = profile.organisation.member_state_id if profile.organisation_id else None
    return country is not None and country in p.countries


def _profile_view(p: Principal, profile: Any) -> bool:
    return _profile_is_live(profile) or _profile_owner(p, profile) or _profile_moderator(p, profile)


def _network_act_for(p: Principal, org: Any) -> bool:
    """Act in the network on behalf of ``org`` (express interest in its name, create its profiles):
    its editors, and the Secretariat for any organisation."""
    return p.secretariat or org.pk in p.organisations


def _profile_create(p: Principal, org: Any = None) -> bool:
    """``org`` is the organisation the new profile would belong to (None: for any organisation)."""
    if org is None:
        return p.secretariat or bool(p.organisations)
    return _network_act_for(p, org)


def _profile_edit(p: Principal, profile: Any) -> bool:
    return p.secretariat or (_profile_owner(p, profile) and profile.status in PROFILE_OWNER_EDITABLE)


def _profile_manage(p: Principal, profile: Any) -> bool:
    """Submit, withdraw or reopen: the owner organisation's editors and the Secretariat."""
    return p.secretariat or _profile_owner(p, profile)


def _expertise_view(p: Principal, expertise: Any) -> bool:
    return expertise.listed or _person_view_contact(p, expertise.person)


def _introduction_request(p: Principal, profile: Any) -> bool:
    """Express interest in a live profile: an editor of another organisation than the profile's, or
    the Secretariat on an organisation's behalf."""
    return _profile_is_live(profile) and (p.secretariat or bool(p.organisations - {profile.organisation_id}))


def _introduction_view(p: Principal, intro: Any) -> bool:
    return (
        p.secretariat or intro.profile.organisation_id in p.organisations or intro.requester_org_id in p.organisations
    )


def _introduction_decide(p: Principal, intro: Any) -> bool:
    return p.secretariat or intro.profile.organisation_id in p.organisations


def _introduction_withdraw(p: Principal, intro: Any) -> bool:
    return p.secretariat or intro.requester_org_id in p.organisations


def _network_contacts(p: Principal, org: Any) -> bool:
    """See the contacts (people, e-mail, phone) of ``org`` in the network: the Secretariat, its own
    editors, and the editors of an organisation with an accepted introduction to it."""
    if p.secretariat or org.pk in p.organisations:
        return True
    if not p.organisations:
        return False
    return type(org)._base_manager.filter(_accepted_with_q(p.organisations), pk=org.pk).exists()


def _accepted_with_q(mine: frozenset[int]) -> Q:
    """On Organisation: an accepted introduction links it with one of ``mine`` (either way)."""
    return Q(profiles__introductions__status="accepted", profiles__introductions__requester_org_id__in=mine) | Q(
        requested_introductions__status="accepted", requested_introductions__profile__organisation_id__in=mine
    )


# --- Forum matchmaking (serai.matchmaking) ---------------------------------------------------
def _mm_acts_for(p: Principal, participant: Any = None) -> bool:
    """Act for a matchmaking participant (request, accept, decline, withdraw, record an outcome):
    the Secretariat, the participant's own login, the editors of their organisation and the focal
    points of their country (who register their national delegation)."""
    if participant is None:  # any participant at all: the Secretariat
        return p.secretariat
    return (
        p.secretariat
        or participant.organisation_id in p.organisations
        or (participant.country_id is not None and participant.country_id in p.countries)
        or (p.user_id is not None and participant.person.user_id == p.user_id)
    )


def _mm_event_view(p: Principal, event: Any = None) -> bool:
    """A matchmaking event is public once it leaves its draft; drafts are the Secretariat's."""
    return event is None or p.secretariat or event.status != "draft"


def _mm_register(p: Principal, participant: Any = None) -> bool:
    """Register ``participant`` (unsaved: person, organisation, country set): whoever acts for it.
    Without an object: anyone signed in (the form then limits whom they may register)."""
    if participant is None:
        return p.user_id is not None or p.secretariat
    return _mm_acts_for(p, participant)


def _mm_participant_view(p: Principal, participant: Any = None) -> bool:
    """The Secretariat, whoever acts for the participant, and whoever acts for a registered
    participant of the same event (the event's marketplace)."""
    if participant is None:  # any participant at all: the Secretariat
        return p.secretariat
    if _mm_acts_for(p, participant):
        return True
    if p.is_public and p.user_id is None:
        return False
    # through the object's own manager: access sits below matchmaking and never imports it
    return (
        type(participant)
        ._default_manager.filter(_mm_acting_q(p), event_id=participant.event_id, status="registered")
        .exists()
    )


def _mm_request_view(p: Principal, request: Any = None) -> bool:
    """Either side of a meeting request, and the Secretariat (without an object: any request)."""
    if request is None:
        return p.secretariat
    return _mm_acts_for(p, request.requester) or _mm_acts_for(p, request.requested)


def _mm_request_decide(p: Principal, request: Any = None) -> bool:
    return p.secretariat if request is None else _mm_acts_for(p, request.requested)


def _mm_request_withdraw(p: Principal, request: Any = None) -> bool:
    return p.secretariat if request is None else _mm_acts_for(p, request.requester)


def _mm_meeting_side(p: Principal, meeting: Any = None) -> bool:
    """Either side of a scheduled meeting (and the Secretariat)."""
    return p.secretariat if meeting is None else _mm_request_view(p, meeting.request)


# --- reports (briefing packs, meeting records) --------------------------------------------------
def _report_generate(p: Principal, report: Any = None) -> bool:
    """Generate a report (``report``: the unsaved request, with its audience): the Secretariat for
    any audience; a focal point for their own country's delegation. Nobody else: generating costs
    the server a lot, and a public pack is the Secretariat's to publish."""
    if p.secretariat:
        return True
    if report is None:
        return bool(p.countries)
    return report.audience == "delegation" and report.audience_country_id in p.countries


def _report_view(p: Principal, report: Any = None) -> bool:
    """Download a generated report: the Secretariat every one; a focal point their delegation's; and
    anyone a public one. (Whether the meeting itself may be seen is the meeting's rule.)"""
    if report is None or p.secretariat:
        return True
    if report.audience == "public":
        return True
    return report.audience == "delegation" and report.audience_country_id in p.countries


def report_visibility_q(user: Any) -> Q:
    """The ``report.view`` rule as a filter on GeneratedReport."""
    p = principal(user)
    if p.secretariat:
        return Q()
    q = Q(audience="public")
    if p.countries:
        q |= Q(audience="delegation", audience_country_id__in=p.countries)
    return q


RULES: dict[str, Rule] = {
    # reference data and administration
    "reference.view": _anyone,
    "reference.edit": _secretariat,
    "audit.view": _secretariat,
    "language.view": _secretariat,  # how complete each interface language is
    "role.manage": _secretariat,
    "admin.access": _secretariat,
    # login safety: lifting lockouts and lost two-factor devices; one's own devices
    "login.unlock": _secretariat,
    "reminder.send": _secretariat,  # serai sendreminders (run by cron as the system)
    "otp.reset": _secretariat,
    "account.manage_own": lambda p, u=None: u is not None and p.user_id is not None and p.user_id == u.pk,
    # organisations
    "organisation.view": _anyone,
    "organisation.create": _org_create,  # obj: the member state (or its id); None: no member state
    "organisation.create_any": _org_create_any,  # may add one somewhere (the link, the empty form)
    "organisation.edit": _org_edit,
    "organisation.delete": _secretariat,
    # people
    "person.view": _person_view,
    "person.view_contact": _person_view_contact,
    "person.create": _person_create,
    "person.edit": _person_view_contact,
    "person.delete": _secretariat,
    # meetings (Forum sessions and other bodies' meetings)
    "meeting.view": _meeting_view,
    "meeting.create": _secretariat,
    "meeting.edit": _secretariat,
    # bodies' membership, meeting participants, documents and minutes
    "membership.edit": _secretariat,
    "participant.view": _project_propose,  # anyone with a role; the public sees delegations only
    "participant.edit": _secretariat,
    "document.add": _secretariat,
    "document.view": _document_view,
    "minutes.view": lambda p, m=None: (
        m is None
        or p.secretariat
        or m.meeting.body_id in p.bodies
        or (m.status == "adopted" and m.meeting.status == "held")
    ),
    "minutes.edit": _secretariat,
    "minutes.review": _minutes_review,  # waiting for the user's reading ("my work")
    # the Secretariat's work plan: adopted plans are public
    "workplan.view": _workplan_view,
    "workplan.edit": _secretariat,
    # decisions and action items
    "decision.view": _decision_view,
    "decision.edit": _secretariat,
    "action.view": _project_propose,  # anyone with a role; the public sees adopted decisions only
    "action.create": _secretariat,
    "action.own": _action_own,
    "action.update": _action_update,
    # projects
    "project.view": _project_view,
    "project.propose": _project_propose,
    "project.create": _project_create,  # obj: the countries the new project is placed in
    "project.proponent": _project_proponent,
    # who fires the project workflow's transitions (projects/workflow.py names these rules)
    "project.move_as_proponent": _project_move_as_proponent,  # submit, withdraw
    "project.steer": _secretariat,  # screen, send to appraisal, decline, endorse, suspend, resume, evaluate
    "project.appraise": _project_appraise,  # appraise; return, recommend
    "project.implement": _project_implement,  # start, complete
    # indicator updates (the results framework): submit and revise; approve and return
    "results.submit": _results_submit,
    "results.review": _secretariat,
    "project.edit": _project_edit,
    "project.report_results": _project_report_results,
    "project.manage_editors": _project_manage_editors,
    "appraisal.view": _appraisal_view,
    "project.view_history_detail": _project_history_detail,
    # IATI: the landscape of other publishers' activities in the member states
    "landscape.view": _project_propose,
    "landscape.import": _secretariat,
    "landscape.link": _secretariat,
    # IATI: fixing each published activity's identifier (done by the feed as a system actor)
    "iati.publish": _secretariat,
    # bodies: internal papers (draft minutes, working documents)
    "body.view_internal": _body_internal,
    # the cooperation network: profiles (published ones are public), expertise, introductions
    "profile.view": _profile_view,
    "profile.create": _profile_create,
    "profile.edit": _profile_edit,
    "profile.manage": _profile_manage,
    "profile.moderate": _profile_moderator,
    "profile.moderation_queue": lambda p, _=None: p.secretariat or bool(p.countries),
    "expertise.view": _expertise_view,
    "expertise.edit": lambda p, person=None: person is not None and _person_view_contact(p, person),
    "introduction.request": _introduction_request,
    "introduction.view": _introduction_view,
    "introduction.decide": _introduction_decide,
    "introduction.withdraw": _introduction_withdraw,
    "network.view_contacts": _network_contacts,
    "network.act_for": _network_act_for,  # obj: the organisation acted for (interest, profiles)
    "network.import": _secretariat,  # bulk import of organisations and profiles (CSV/XLSX)
    # reports: briefing packs and meeting records, per audience (public, a delegation, the Secretariat)
    "report.generate": _report_generate,
    "report.view": _report_view,
    # the control room: the pipeline board and action completion (focal points: their countries' rows)
    "controlroom.view": _controlroom_view,
    "controlroom.project": _controlroom_project,
    "controlroom.action": _controlroom_action,
    # agenda editing: rename, reorder and delete a meeting's agenda items
    "agenda.edit": _secretariat,
    # Forum matchmaking: events on meetings, participants, meeting requests, scheduled meetings
    "matchmaking.manage": _secretariat,  # set up an event, move it, run the scheduler
    "matchmaking.event.view": _mm_event_view,
    "matchmaking.register": _mm_register,  # obj: the unsaved participant
    "matchmaking.participant.view": _mm_participant_view,
    "matchmaking.participant.act": _mm_acts_for,  # request, withdraw, availability, outcome
    "matchmaking.request.view": _mm_request_view,
    "matchmaking.request.decide": _mm_request_decide,  # accept, decline
    "matchmaking.request.withdraw": _mm_request_withdraw,
    "matchmaking.request.cancel": _mm_request_view,  # an accepted request: either side
    "matchmaking.meeting.view": _mm_meeting_side,
    "matchmaking.meeting.attend": _secretariat,  # check in, mark a no-show: the desk on the day
    # personal agendas (page, iCalendar, PDF): whoever acts for the participant, and the Secretariat
    "matchmaking.agenda.view": _mm_acts_for,
    # on the day: table sheets, the day's board, table changes (the Secretariat's event staff)
    "matchmaking.onsite": _secretariat,
    "matchmaking.meeting.cancel": _mm_meeting_side,
}

ACTIONS = tuple(RULES)


def can(user: Any, action: str, obj: Any = None) -> bool:
    try:
        rule = RULES[action]
    except KeyError:
        raise ValueError(f"unknown action {action!r}; known: {', '.join(ACTIONS)}") from None
    return bool(rule(principal(user), obj))


def require(user: Any, action: str, obj: Any = None) -> None:
    if not can(user, action, obj):
        raise PermissionDenied(_("You may not do this (%(action)s).") % {"action": action})


# --- the same rules as query filters --------------------------------------------------------
NOTHING = Q(pk__in=[])


def person_visibility_q(user: Any) -> Q:
    p = principal(user)
    if p.secretariat:
        return Q()
    q = Q(is_public=True) | _person_scope_q(p)
    return q


def person_contact_q(user: Any) -> Q:
    p = principal(user)
    if p.secretariat:
        return Q()
    return _person_scope_q(p)


def _scope_q(p: Principal, *, country: str, organisation: str, user: str) -> Q:
    """Rows in one of the principal's countries or organisations, or their own (field names given)."""
    q = NOTHING
    if p.countries:
        q |= Q(**{f"{country}__in": p.countries})
    if p.organisations:
        q |= Q(**{f"{organisation}__in": p.organisations})
    if p.user_id is not None:
        q |= Q(**{user: p.user_id})
    return q


def _person_scope_q(p: Principal) -> Q:
    return _scope_q(p, country="member_state_id", organisation="organisation_id", user="user_id")


def editable_organisations_q(user: Any) -> Q:
    p = principal(user)
    if p.secretariat:
        return Q()
    q = NOTHING
    if p.countries:
        q |= Q(member_state_id__in=p.countries)
    if p.organisations:
        q |= Q(pk__in=p.organisations)
    return q


def organisation_country_q(user: Any) -> Q:
    """The ``organisation.create`` rule as a filter on MemberState: the countries the user may place
    an organisation in (the form's choices)."""
    p = principal(user)
    if p.secretariat:
        return Q()
    if p.countries:
        return Q(pk__in=p.countries)
    return NOTHING


def project_visibility_q(user: Any) -> Q:
    """The ``project.view`` rule as a filter on Project (no joins: no duplicate rows)."""
    p = principal(user)
    if p.secretariat:
        return Q()
    q = Q(status__in=PROJECT_PUBLIC)
    if p.countries:
        q |= rows_where(Q(countries__id__in=p.countries))
    if p.bodies:
        q |= Q(status="appraisal", subcommittee_id__in=p.bodies)
    if p.user_id is not None:
        q |= Q(created_by_id=p.user_id)
        q |= rows_where(Q(editors__id=p.user_id))
    return q


def results_reporting_q(user: Any) -> Q:
    """The ``project.report_results`` rule as a filter on Project (no joins: no duplicate rows)."""
    p = principal(user)
    if p.secretariat:
        return Q()
    q = NOTHING
    if p.countries:
        q |= rows_where(Q(countries__id__in=p.countries))
    if p.user_id is not None:
        q |= Q(created_by_id=p.user_id)
        q |= rows_where(Q(editors__id=p.user_id))
    if p.organisations:
        q |= Q(status__in=PROJECT_PUBLIC) & rows_where(Q(participations__organisation_id__in=p.organisations))
    return q & ~Q(status__in=PROJECT_CLOSED)


# --- the cooperation network ------------------------------------------------------------------
def profile_visibility_q(user: Any) -> Q:
    """The ``profile.view`` rule as a filter on CooperationProfile (a to-one join only)."""
    p = principal(user)
    if p.secretariat:
        return Q()
    today = timezone.localdate()
    q = Q(status="published") & (Q(valid_until__isnull=True) | Q(valid_until__gte=today))
    if p.organisations:
        q |= Q(organisation_id__in=p.organisations)
    if p.countries:
        q |= Q(organisation__member_state_id__in=p.countries)
    return q


def profile_moderation_q(user: Any) -> Q:
    """The ``profile.moderate`` rule as a filter on CooperationProfile."""
    p = principal(user)
    if p.secretariat:
        return Q()
    if p.countries:
        return Q(organisation__member_state_id__in=p.countries)
    return NOTHING


def profile_edit_q(user: Any) -> Q:
    """The ``profile.edit`` rule as a filter on CooperationProfile."""
    p = principal(user)
    if p.secretariat:
        return Q()
    if p.organisations:
        return Q(organisation_id__in=p.organisations, status__in=PROFILE_OWNER_EDITABLE)
    return NOTHING


def expertise_visibility_q(user: Any) -> Q:
    """The ``expertise.view`` rule as a filter on Expertise: listed ones, and those whose person's
    contact details the user may see."""
    p = principal(user)
    if p.secretariat:
        return Q()
    q = Q(listed=True)
    if p.countries:
        q |= Q(person__member_state_id__in=p.countries)
    if p.organisations:
        q |= Q(person__organisation_id__in=p.organisations)
    if p.user_id is not None:
        q |= Q(person__user_id=p.user_id)
    return q


def network_act_for_q(user: Any) -> Q:
    """The ``network.act_for`` rule (and ``profile.create`` for one organisation) as a filter on
    Organisation."""
    p = principal(user)
    if p.secretariat:
        return Q()
    if p.organisations:
        return Q(pk__in=p.organisations)
    return NOTHING


def introduction_visibility_q(user: Any) -> Q:
    """The ``introduction.view`` rule as a filter on Introduction."""
    p = principal(user)
    if p.secretariat:
        return Q()
    if p.organisations:
        return Q(profile__organisation_id__in=p.organisations) | Q(requester_org_id__in=p.organisations)
    return NOTHING


def network_contacts_q(user: Any) -> Q:
    """The ``network.view_contacts`` rule as a filter on Organisation: the organisations whose
    contacts the user sees (its own, and those with an accepted introduction to one of its own)."""
    p = principal(user)
    if p.secretariat:
        return Q()
    if not p.organisations:
        return NOTHING
    return Q(pk__in=p.organisations) | rows_where(_accepted_with_q(p.organisations))


# --- governance -----------------------------------------------------------------------------------
def meeting_visibility_q(user: Any) -> Q:
    """The ``meeting.view`` rule as a filter on Meeting."""
    if principal(user).secretariat:
        return Q()
    return Q(status__in=MEETING_PUBLIC)


def decision_visibility_q(user: Any) -> Q:
    """The ``decision.view`` rule as a filter on Decision (a to-one join only)."""
    p = principal(user)
    if p.secretariat:
        return Q()
    return Q(status="adopted") | Q(status="draft", meeting__body_id__in=p.bodies)


def document_visibility_q(user: Any) -> Q:
    """The ``document.view`` rule as a filter on MeetingDocument."""
    p = principal(user)
    if p.secretariat:
        return Q()
    return Q(meeting__body_id__in=p.bodies) | Q(is_public=True, meeting__status__in=MEETING_PUBLIC)


def workplan_visibility_q(user: Any) -> Q:
    """The ``workplan.view`` rule as a filter on WorkPlan."""
    if principal(user).secretariat:
        return Q()
    return Q(status="adopted")


def action_owner_q(user: Any) -> Q:
    """The ``action.own`` rule as a filter on ActionItem."""
    return _scope_q(
        principal(user), country="owner_country_id", organisation="owner_organisation_id", user="owner_person__user_id"
    )


def minutes_review_q(user: Any) -> Q:
    """The ``minutes.review`` rule as a filter on Minutes."""
    p = principal(user)
    circulated = Q(status__in=MINUTES_CIRCULATED)
    if p.secretariat:
        return circulated | Q(status="draft", meeting__status="held")
    if p.bodies:
        return circulated & Q(meeting__body_id__in=p.bodies)
    return NOTHING


# --- projects: the workspace's lists --------------------------------------------------------------
def project_appraisal_q(user: Any) -> Q:
    """The ``project.appraise`` rule as a filter on Project."""
    p = principal(user)
    if p.secretariat:
        return Q()
    if p.bodies:
        return Q(subcommittee_id__in=p.bodies)
    return NOTHING


def project_proponent_q(user: Any) -> Q:
    """The ``project.proponent`` rule as a filter on Project (no joins: no duplicate rows)."""
    p = principal(user)
    q = NOTHING
    if p.countries:
        q |= rows_where(Q(countries__id__in=p.countries))
    if p.user_id is not None:
        q |= Q(created_by_id=p.user_id)
        q |= rows_where(Q(editors__id=p.user_id))
    return q


# --- the control room ------------------------------------------------------------------------------
def controlroom_project_q(user: Any) -> Q:
    """The ``controlroom.project`` rule as a filter on Project (no joins: no duplicate rows)."""
    p = principal(user)
    if p.secretariat:
        return Q()
    if p.countries:
        return rows_where(Q(countries__id__in=p.countries))
    return NOTHING


def controlroom_action_q(user: Any) -> Q:
    """The ``controlroom.action`` rule as a filter on ActionItem (to-one joins only)."""
    p = principal(user)
    if p.secretariat:
        return Q()
    if p.countries:
        return (
            Q(owner_country_id__in=p.countries)
            | Q(owner_country__isnull=True, owner_organisation__member_state_id__in=p.countries)
            | Q(
                owner_country__isnull=True,
                owner_organisation__isnull=True,
                owner_person__member_state_id__in=p.countries,
            )
        )
    return NOTHING


#: Every rule that filters rows, with its query filter and the model it filters
#: (``access/tests/test_permissions.py`` checks each pair agrees for every role and object).
FILTERS: dict[str, tuple[str, Callable[[Any], Q]]] = {
    "person.view": ("people.Person", person_visibility_q),
    "person.view_contact": ("people.Person", person_contact_q),
    "person.edit": ("people.Person", person_contact_q),
    "organisation.edit": ("orgs.Organisation", editable_organisations_q),
    "organisation.create": ("reference.MemberState", organisation_country_q),
    "network.act_for": ("orgs.Organisation", network_act_for_q),
    "profile.create": ("orgs.Organisation", network_act_for_q),
    "project.view": ("projects.Project", project_visibility_q),
    "project.report_results": ("projects.Project", results_reporting_q),
    "project.appraise": ("projects.Project", project_appraisal_q),
    "project.proponent": ("projects.Project", project_proponent_q),
    "profile.view": ("network.CooperationProfile", profile_visibility_q),
    "profile.moderate": ("network.CooperationProfile", profile_moderation_q),
    "profile.edit": ("network.CooperationProfile", profile_edit_q),
    "expertise.view": ("network.Expertise", expertise_visibility_q),
    "introduction.view": ("network.Introduction", introduction_visibility_q),
    "network.view_contacts": ("orgs.Organisation", network_contacts_q),
    "meeting.view": ("governance.Meeting", meeting_visibility_q),
    "decision.view": ("governance.Decision", decision_visibility_q),
    "document.view": ("governance.MeetingDocument", document_visibility_q),
    "workplan.view": ("governance.WorkPlan", workplan_visibility_q),
    "action.own": ("governance.ActionItem", action_owner_q),
    "minutes.review": ("governance.Minutes", minutes_review_q),
    "controlroom.project": ("projects.Project", controlroom_project_q),
    "controlroom.action": ("governance.ActionItem", controlroom_action_q),
}


# --- Forum matchmaking ------------------------------------------------------------------------
def _mm_acting_q(p: Principal, prefix: str = "") -> Q:
    """``_mm_acts_for`` as a filter on Participant (``prefix``: the path to it, e.g. ``requester__``)."""
    if p.secretariat:
        return Q()
    q = NOTHING
    if p.organisations:
        q |= Q(**{f"{prefix}organisation_id__in": p.organisations})
    if p.countries:
        q |= Q(**{f"{prefix}country_id__in": p.countries})
    if p.user_id is not None:
        q |= Q(**{f"{prefix}person__user_id": p.user_id})
    return q


def mm_event_visibility_q(user: Any) -> Q:
    """The ``matchmaking.event.view`` rule as a filter on Event."""
    return Q() if principal(user).secretariat else ~Q(status="draft")


def mm_acting_q(user: Any, prefix: str = "") -> Q:
    """The ``matchmaking.participant.act`` rule as a filter on Participant."""
    return _mm_acting_q(principal(user), prefix)


def mm_agenda_q(user: Any, prefix: str = "") -> Q:
    """The ``matchmaking.agenda.view`` rule as a filter on Participant: the agendas a user may open."""
    return _mm_acting_q(principal(user), prefix)


def mm_participant_visibility_q(user: Any, participants: Any) -> Q:
    """The ``matchmaking.participant.view`` rule as a filter on Participant (no joins beyond to-one).
    ``participants`` is the Participant manager (access sits below matchmaking and never imports it)."""
    p = principal(user)
    if p.secretariat:
        return Q()
    if p.is_public and p.user_id is None:
        return NOTHING
    mine = _mm_acting_q(p)
    return mine | Q(event_id__in=participants.filter(mine, status="registered").values("event_id"))


def mm_request_visibility_q(user: Any, prefix: str = "") -> Q:
    """The ``matchmaking.request.view`` rule as a filter on MeetingRequest (``prefix``: the path to
    the request, e.g. ``request__`` from a scheduled meeting)."""
    p = principal(user)
    if p.secretariat:
        return Q()
    return _mm_acting_q(p, f"{prefix}requester__") | _mm_acting_q(p, f"{prefix}requested__")
