from __future__ import annotations

from django.shortcuts import get_object_or_404, render

from serai.access import permissions
from serai.core import pagecache
from serai.evidence import queries as evidence_queries
from serai.governance import queries as governance_queries
from serai.governance.forms import MembershipForm
from serai.orgs import queries as org_queries
from serai.people import queries as people_queries
from serai.portal import queries as portal_queries

from . import queries


def member_state_list(request):
    return render(request, "reference/member_state_list.html", {"member_states": queries.member_states(request.user)})


def member_state_detail(request, iso2: str):
    """A member state's page; for anonymous visitors its body is cached."""
    state = get_object_or_404(queries.member_states(request.user), iso2=iso2.upper())

    def page() -> dict:
        return {
            "state": state,
            "organisations": org_queries.organisations(request.user).filter(member_state=state)[:50],
            "helix_mix": org_queries.helix_mix(request.user, state),
            "people": people_queries.people(request.user).filter(member_state=state)[:50],
            "hosted": governance_queries.meetings(request.user).filter(host_country=state),
            **portal_queries.country_page(request.user, state),
        }

    trade_ctx = evidence_queries.context(None, None)
    body = pagecache.render_body(
        request,
        f"country:{state.iso2}",
        "reference/_member_state_body.html",
        page,
        also=trade_ctx.key if trade_ctx else "",
    )
    return render(request, "reference/member_state_detail.html", {"state": state, "body": body})


def body_list(request):
    return render(request, "reference/body_list.html", {"bodies": queries.bodies(request.user)})


def body_detail(request, code: str):
    body = get_object_or_404(queries.bodies(request.user), code=code)
    members = governance_queries.memberships(request.user, body)
    return render(
        request,
        "reference/body_detail.html",
        {
            "body": body,
            "children": queries.bodies(request.user).filter(parent=body),
            "fields": queries.cooperation_fields(request.user).filter(subcommittee=body),
            "meetings": governance_queries.meetings(request.user).filter(body=body),
            "members": members,
            "role_holders": governance_queries.role_holders(request.user, body, seated=members["current"]),
            "member_form": MembershipForm() if permissions.can(request.user, "membership.edit", body) else None,
        },
    )


def field_list(request):
    return render(request, "reference/field_list.html", {"fields": queries.cooperation_fields(request.user)})
