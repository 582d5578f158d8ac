from __future__ import annotations

from django import template
from django.template.loader import render_to_string

from serai.core import fragments

from .. import queries
from ..forms import SavedFilterForm
from ..operations import clean_query

register = template.Library()


@register.simple_tag(takes_context=True)
def saved_filters(context, page: str):
    """The signed-in user's saved filters of this list page, and a form to save the current one:
    a fragment of the user's own (``serai.core.fragments``), fresh after they save or delete one."""
    request = context["request"]
    if not request.user.is_authenticated:
        return ""

    def render() -> str:
        query = clean_query(request.GET.urlencode())
        return render_to_string(
            "workspace/_saved_filters.html",
            {
                "show": True,
                "request": request,
                "page": page,
                "query": query,
                "filters": list(queries.saved_filters(request.user, page)),
                "form": SavedFilterForm(initial={"page": page, "query": query}),
                **fragments.slots(),
            },
        )

    return fragments.cached(
        request, f"saved-filters-{page}", render, topics=["workspace.savedfilter"], vary=request.get_full_path()
    )
