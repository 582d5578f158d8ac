from __future__ import annotations

from django.core.paginator import Page, Paginator

PER_PAGE = 25


def paginate(request, queryset, per_page: int = PER_PAGE) -> Page:
    """One page of ``queryset``; a bad or out-of-range page number gives the nearest page."""
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))


def query_without_page(request) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()
