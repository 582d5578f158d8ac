from __future__ import annotations

from django import template

from .. import queries
from ..forms import SavedFilterForm
from ..operations import clean_query

register = template.Library()


@register.inclusion_tag("workspace/_saved_filters.html", takes_context=True)
def saved_filters(context, page: str):
    """The signed-in user's saved filters of this list page, and a form to save the current one."""
    request = context["request"]
    user = request.user
    if not user.is_authenticated:
        return {"show": False}
    query = clean_query(request.GET.urlencode())
    return {
        "show": True,
        "request": request,
        "page": page,
        "query": query,
        "filters": list(queries.saved_filters(user, page)),
        "form": SavedFilterForm(initial={"page": page, "query": query}),
        "csrf_token": context.get("csrf_token"),
    }
