"""Static files in production: hashed names, served pre-compressed (Brotli and gzip) and cached
for a year as immutable, by WhiteNoise — nothing from a CDN. Pages themselves are gzipped."""

from pathlib import Path

from django.core.management import call_command
from django.test import Client

import serai.core

CORE_STATIC = Path(serai.core.__file__).parent / "static"


def test_static_files_are_hashed_compressed_and_cached_for_a_year(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path
    settings.STATICFILES_DIRS = [CORE_STATIC]
    settings.STATICFILES_FINDERS = ["django.contrib.staticfiles.finders.FileSystemFinder"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    call_command("collectstatic", interactive=False, verbosity=0)
    from django.contrib.staticfiles.storage import staticfiles_storage

    url = staticfiles_storage.url("serai/serai.css")
    assert url != "/static/serai/serai.css" and url.endswith(".css")  # a content hash in the name
    client = Client()  # a new client: WhiteNoise indexes STATIC_ROOT when its middleware starts
    for encoding, accept in (("br", "br, gzip"), ("gzip", "gzip")):
        response = client.get(url, HTTP_ACCEPT_ENCODING=accept)
        assert response.status_code == 200
        assert response["Content-Encoding"] == encoding
        assert "immutable" in response["Cache-Control"] and "max-age=315360000" in response["Cache-Control"]
        body = b"".join(response.streaming_content)
        assert len(body) < (CORE_STATIC / "serai/serai.css").stat().st_size
    plain = client.get(url)
    assert (
        "Content-Encoding" not in plain
        and b"".join(plain.streaming_content) == (CORE_STATIC / "serai/serai.css").read_bytes()
    )


def test_pages_are_gzipped_for_browsers_that_accept_it(client, reference):
    plain = client.get("/en/bodies/")
    zipped = client.get("/en/bodies/", HTTP_ACCEPT_ENCODING="gzip")
    assert zipped["Content-Encoding"] == "gzip" and "Accept-Encoding" in zipped["Vary"]
    assert len(zipped.content) < len(plain.content) / 2
