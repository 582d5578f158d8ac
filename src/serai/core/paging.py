from __future__ import annotations

from django.core.paginator import Page, Paginator

from .forms import QueryForm, StrictIntegerField, parse_query

PER_PAGE = 25
MAX_PAGE = 1_000_000


class PageForm(QueryForm):
    page = StrictIntegerField(min_value=1, max_value=MAX_PAGE)


def page_number(request) -> int:
    """The ``page`` parameter: a whole number from 1 (400 naming it otherwise); 1 when absent."""
    return parse_query(PageForm, request)["page"] or 1


def paginate(request, queryset, per_page: int = PER_PAGE) -> Page:
    """One page of ``queryset``; a page number past the end gives the last page, and one that is not
    a number from 1 up answers 400."""
    return Paginator(queryset, per_page).get_page(page_number(request))


def query_without_page(request) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()
