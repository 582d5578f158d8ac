"""A missing static file is a 404 in development, not a 500 (issue 13, defect 8)."""

from __future__ import annotations

import pytest
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.views import serve
from django.http import Http404
from django.test import RequestFactory

from serai.core.finders import PackageAssetsFinder


def test_the_package_finder_answers_an_empty_list_for_a_file_it_does_not_have():
    finder = PackageAssetsFinder()
    assert finder.find("css/no-such-file.css") == []
    assert finder.find("css/no-such-file.css", find_all=True) == []


def test_a_missing_static_file_is_not_found_through_every_finder():
    assert finders.find("css/no-such-file.css") is None
    assert finders.find("css/no-such-file.css", find_all=True) == []


def test_the_development_static_view_answers_404_for_a_missing_file(settings):
    settings.DEBUG = True
    request = RequestFactory().get("/static/css/no-such-file.css")
    with pytest.raises(Http404):
        serve(request, "css/no-such-file.css")
