"""Issue 13: a Content-Security-Policy without inline script or eval, a Permissions-Policy with
the powerful features off, and no inline script or event handler left in any template."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import serai

pytestmark = pytest.mark.django_db


def _directives(header: str) -> dict[str, list[str]]:
    out = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            out[words[0]] = words[1:]
    return out


@pytest.mark.parametrize("url", ["/en/", "/ko/projects/", "/ru/accounts/login/", "/en/search/?q=energy"])
def test_pages_carry_csp_and_permissions_policy(client, reference, url):
    response = client.get(url)
    assert response.status_code == 200
    csp = _directives(response["Content-Security-Policy"])
    assert csp["script-src"] == ["'self'"]  # no 'unsafe-inline', no 'unsafe-eval', no other host
    assert csp["default-src"] == ["'self'"]
    assert csp["object-src"] == ["'none'"] and csp["frame-ancestors"] == ["'none'"]
    # <style> elements: this site's files, and only an empty inline one (plotly.js fills it via the CSSOM)
    assert csp["style-src-elem"] == ["'self'", "'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='"]
    assert "'unsafe-inline'" not in csp["style-src"]
    for values in csp.values():
        assert not any(v.startswith(("http:", "https:", "*")) for v in values)
        assert "'unsafe-eval'" not in values
    policy = response["Permissions-Policy"]
    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert f"{feature}=()" in policy


def test_the_admin_login_carries_them_too(client):
    response = client.get("/en/admin/login/")
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert "camera=()" in response["Permissions-Policy"]


TEMPLATES = [p for p in Path(serai.__file__).parent.rglob("templates/**/*.html")]
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I)
EVENT_HANDLER = re.compile(r"\son[a-z]+\s*=", re.I)
JS_URL = re.compile(r"""(href|src|action)\s*=\s*["']\s*javascript:""", re.I)


def test_no_template_has_inline_script_or_event_handlers():
    assert TEMPLATES
    found = []
    for path in TEMPLATES:
        text = path.read_text()
        for pattern in (INLINE_SCRIPT, EVENT_HANDLER, JS_URL):
            for match in pattern.finditer(text):
                # json_script output is data (type="application/json"), never executed
                if "application/json" in match.group(0):
                    continue
                found.append(f"{path.relative_to(Path(serai.__file__).parent)}: {match.group(0)}")
    assert not found, "\n".join(found)
