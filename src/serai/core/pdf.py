"""PDF documents from Django templates: WeasyPrint, fonts embedded, and nothing fetched from a network.

Every PDF in Serai (briefing packs, meeting records, agendas, country briefs, fact sheets) is an
HTML template with print CSS, rendered by :func:`render_pdf`. The template usually extends
``core/pdf/base.html``, which sets the page size, margins, running page numbers and a font stack
that covers Latin, Cyrillic and Hangul (Debian's ``fonts-noto-cjk``, installed by the README's
commands). WeasyPrint subsets and embeds each font it uses, so a PDF opens with its Korean and
Russian text on a machine that has neither font.

Resources are resolved by :class:`LocalFetcher`: ``/static/...`` (or the document's own base URL)
maps to the static files Django would serve, ``data:`` URLs are read in place, and everything else
(``http``, ``https``, ``ftp``, ``file`` outside the static files) is refused. A refused resource is
left out of the document, never fetched: government networks are often closed and a report must not
call out to anywhere.
"""

from __future__ import annotations

import base64
import io
import logging
import mimetypes
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import translation

log = logging.getLogger(__name__)

#: The base URL documents are rendered under; only :class:`LocalFetcher` understands it.
BASE_URL = "https://serai.invalid/"

#: Largest resource (image, stylesheet) a document may pull in.
MAX_RESOURCE_BYTES = 20 * 1024 * 1024


class ResourceRefused(ValueError):
    """A document asked for a resource outside the static files; WeasyPrint leaves it out."""


def _static_path(path: str) -> Path | None:
    static_url = settings.STATIC_URL or "/static/"
    if not path.startswith(static_url):
        return None
    relative = unquote(path[len(static_url) :])
    if not relative or ".." in Path(relative).parts:
        return None
    found = finders.find(relative)
    if not found:
        root = Path(settings.STATIC_ROOT) / relative
        found = str(root) if root.is_file() else None
    return Path(found) if found else None


def _data_url(url: str) -> tuple[bytes, str]:
    match = re.match(r"data:([^,;]*)((?:;[^,;]*)*),(.*)\Z", url, re.S)
    if not match:
        raise ResourceRefused(f"malformed data URL: {url[:40]}")
    mime = match.group(1) or "text/plain"
    payload = match.group(3)
    body = base64.b64decode(payload) if ";base64" in match.group(2) else unquote(payload).encode()
    if len(body) > MAX_RESOURCE_BYTES:
        raise ResourceRefused("data URL too large")
    return body, mime


def fetch_local(url: str) -> tuple[bytes, str]:
    """The bytes and media type of ``url`` if it is a local resource; :class:`ResourceRefused` otherwise."""
    if url.startswith("data:"):
        return _data_url(url)
    parts = urlsplit(url)
    if f"{parts.scheme}://{parts.netloc}/" != BASE_URL:
        raise ResourceRefused(f"not a local resource: {url[:200]}")
    path = _static_path(parts.path)
    if path is None:
        raise ResourceRefused(f"not a static file: {parts.path[:200]}")
    if path.stat().st_size > MAX_RESOURCE_BYTES:
        raise ResourceRefused(f"static file too large: {parts.path[:200]}")
    mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return path.read_bytes(), mime


def _fetcher():
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class LocalFetcher(URLFetcher):
        """Serves static files and ``data:`` URLs; refuses every other URL without opening it."""

        def fetch(self, url, headers=None):
            body, mime = fetch_local(url)
            return URLFetcherResponse(url, body=body, headers={"Content-Type": mime})

    return LocalFetcher()


def render_html(template_name: str, context: Mapping[str, Any] | None = None, *, language: str | None = None) -> str:
    """The document's HTML, rendered in ``language`` (the active language when not given)."""
    language = language or translation.get_language() or settings.LANGUAGE_CODE
    with translation.override(language):
        return render_to_string(template_name, {"pdf_language": language, **(context or {})})


def html_to_pdf(html: str) -> bytes:
    """PDF bytes of an HTML document rendered with :class:`LocalFetcher`."""
    import weasyprint

    document = weasyprint.HTML(string=html, base_url=BASE_URL, url_fetcher=_fetcher())
    return document.write_pdf()


def render_pdf(template_name: str, context: Mapping[str, Any] | None = None, *, language: str | None = None) -> bytes:
    """Render a Django template to PDF in ``language``; fonts embedded, nothing fetched from a network."""
    return html_to_pdf(render_html(template_name, context, language=language))


def pdf_response(pdf: bytes, filename: str, *, inline: bool = False) -> HttpResponse:
    """An HTTP response carrying ``pdf`` as a download (or inline), never cached by shared caches."""
    response = HttpResponse(pdf, content_type="application/pdf")
    safe = re.sub(r"[^A-Za-z0-9._-]+", "-", filename).strip("-") or "document.pdf"
    if not safe.lower().endswith(".pdf"):
        safe += ".pdf"
    response["Content-Disposition"] = f'{"inline" if inline else "attachment"}; filename="{safe}"'
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


# Reading PDFs back: what tests (and the reports' own checks) need to know of a document.


def pdf_text(pdf: bytes) -> str:
    """All text of a PDF, page after page (pypdf)."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(pdf))
    return "\n".join(page.extract_text() or "" for page in reader.pages)


def pdf_page_count(pdf: bytes) -> int:
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(pdf)).pages)


def pdf_fonts(pdf: bytes) -> dict[str, bool]:
    """Each font a PDF uses → whether its program is embedded (FontFile, FontFile2 or FontFile3)."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(pdf))
    fonts: dict[str, bool] = {}

    def descriptor_embedded(font) -> bool:
        descriptor = font.get("/FontDescriptor")
        if descriptor is not None:
            descriptor = descriptor.get_object()
            if any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")):
                return True
        for descendant in font.get("/DescendantFonts") or []:
            if descriptor_embedded(descendant.get_object()):
                return True
        return False

    for page in reader.pages:
        resources = page.get("/Resources")
        if resources is None:
            continue
        font_dict = resources.get_object().get("/Font")
        if font_dict is None:
            continue
        for ref in font_dict.get_object().values():
            font = ref.get_object()
            name = str(font.get("/BaseFont", "?")).lstrip("/")
            name = name.split("+", 1)[-1]  # subset prefix ABCDEF+Name
            fonts[name] = fonts.get(name, False) or descriptor_embedded(font)
    return fonts
