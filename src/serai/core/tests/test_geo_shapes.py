"""The map's shapes are one cached SVG document (issue 19): pages hold no outlines, only a
``<use>`` of each country coloured per request; the document is served for a year under an
address that names the atlas file's hash, and only for the countries a page asked for."""

import gzip
import hashlib
import re
import shutil

import pytest
from django.core.cache import cache

from serai.core import geo
from serai.core.testing import body as body_of
from serai.core.testing import shared_data_path

SIX = {"398", "410", "417", "762", "795", "860"}


@pytest.fixture
def atlas(settings):
    settings.SERAI_WORLD_ATLAS = shared_data_path("geo/world-atlas_countries-50m.topo.json")
    return settings.SERAI_WORLD_ATLAS


def _href(html: str) -> str:
    hrefs = set(re.findall(r'<use href="([^"#]+)#', html))
    assert len(hrefs) == 1, hrefs
    return hrefs.pop()


def test_the_home_page_colours_shapes_of_a_cached_document_and_draws_no_outline(client, reference, atlas):
    html = client.get("/en/").content.decode()
    svg = html[html.index('<svg viewBox="0 0') : html.index("</svg>", html.index('class="choropleth"'))]
    assert "<path" not in svg  # no outline in the page
    used = re.findall(r'<use href="[^"]+#c(\d+)" fill="#[0-9a-f]{6}" class="map-focus"><title>', svg)
    assert set(used) == SIX
    assert '#context" class="map-context"' in svg
    assert len(html) < 60_000  # was 215 KB with the outlines inline
    # the table alternative and the labels stay in the page
    assert 'id="map-table"' in html and html.count('class="map-label"') == 6


def test_the_shapes_document_holds_every_member_state_and_is_cached_for_a_year(client, reference, atlas):
    href = _href(client.get("/en/").content.decode())
    digest = hashlib.sha256(atlas.read_bytes()).hexdigest()
    assert href.startswith(f"/map/{digest[:16]}-")  # keyed by the atlas file's hash
    response = client.get(href)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml; charset=utf-8"
    assert response["Cache-Control"] == "public, max-age=31536000, immutable"
    document = body_of(response).decode()
    for number in SIX:
        path = re.search(rf'<path id="c{number}" d="M([^"]+)"/>', document)
        assert path and len(path.group(1)) > 100, number  # a real outline
    assert re.search(r'<g id="context"><path d="M', document)
    assert 'fill="' not in document  # colours come from the page
    # the same document, compressed, and not sent again to a browser that has it
    zipped = client.get(href, HTTP_ACCEPT_ENCODING="gzip")
    assert zipped["Content-Encoding"] == "gzip" and gzip.decompress(zipped.content).decode() == document
    assert client.get(href, HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304


def test_the_same_document_serves_every_language_and_the_trade_map(client, reference, atlas):
    hrefs = {_href(client.get(path).content.decode()) for path in ("/en/", "/ko/", "/ru/", "/en/?map=budget")}
    assert len(hrefs) == 1


def test_only_signed_addresses_of_the_current_atlas_are_served(client, reference, atlas, settings, tmp_path):
    href = _href(client.get("/en/").content.decode())
    key = href.removeprefix("/map/").removesuffix(".svg")
    digest, ids, mac = key.split("-")
    forged = f"/map/{digest}-{ids}_156_643-{mac}.svg"  # a larger set of countries, same signature
    assert client.get(forged).status_code == 404
    assert client.get(f"/map/{digest}-{ids}-{'0' * 16}.svg").status_code == 404
    assert client.get("/map/not-a-key.svg").status_code == 404
    # another atlas file: a new address, cached for a year; a page cached before the update still
    # gets shapes at the old one, but only for minutes
    copy = tmp_path / "atlas.json"
    shutil.copy(atlas, copy)
    with copy.open("a") as f:
        f.write("\n")
    settings.SERAI_WORLD_ATLAS = copy
    cache.clear()
    new = _href(client.get("/en/").content.decode())
    assert new != href and client.get(new)["Cache-Control"] == "public, max-age=31536000, immutable"
    old = client.get(href)
    assert old.status_code == 200 and old["Cache-Control"] == "public, max-age=600"


def test_without_the_atlas_the_page_says_so(client, reference, settings, tmp_path):
    settings.SERAI_WORLD_ATLAS = tmp_path / "missing.json"
    html = client.get("/en/").content.decode()
    assert "map geometry (npm world-atlas) is not installed" in html
    assert geo.shapes_document(SIX) is None
