"""The published OpenAPI schema is what the API does (issue 13, item 15): schemathesis runs every
operation of /api/v1/schema/ with every check — server errors, status codes, content types and
response bodies against the schema, positive data accepted, negative data refused, unsupported
methods, auth — as an anonymous visitor and as a signed-in focal point, on demo-like data, with
bounded and deterministic examples, and finds nothing.

The engine runs its requests in worker threads (their own database connections), so the data is
committed (``transactional_db``) and every request closes its connection."""

from __future__ import annotations

import secrets
import time
from collections import Counter

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections, connections
from schemathesis.config import SchemathesisConfig
from schemathesis.engine import Status, events, from_schema

from serai.access import permissions

MAX_EXAMPLES = 10


def _app(headers: dict[str, str]):
    django = WSGIHandler()

    def app(environ, start_response):
        # the caller's credentials on every request (the transport's cookie jar would drop a Cookie header)
        environ.update({f"HTTP_{name.upper().replace('-', '_')}": value for name, value in headers.items()})
        # The engine sends requests' default "Accept-Encoding: gzip" but its WSGI transport does not
        # decode a gzipped body as a real HTTP client does; ask for the plain body.
        environ.pop("HTTP_ACCEPT_ENCODING", None)
        try:
            return list(django(environ, start_response))
        finally:
            close_old_connections()
            connections.close_all()

    return app


def _config(*, signed_in: bool) -> SchemathesisConfig:
    writes = {
        "include-method": ["POST", "PATCH"],
        "checks": {"positive_data_acceptance": {"expected-statuses": ["2xx", "400", "401", "403", "404", "409"]}},
    }
    if not signed_in:
        # an anonymous write is refused before its body is read: the coverage phase's hundreds of
        # body variants would only repeat that 403 (the signed-in run covers the bodies)
        writes["phases"] = {"coverage": {"enabled": False}}
    return SchemathesisConfig.from_dict(
        {
            "seed": 2026,
            "workers": 1,
            "generation": {"max-examples": MAX_EXAMPLES, "deterministic": True, "no-shrink": True, "database": "none"},
            "phases": {"stateful": {"enabled": False}},
            # no state kept between runs (it would land in .schemathesis/ and dirty the work tree)
            "cache": {"enabled": False},
            "checks": {"enabled": True},
            # A write that fits the schema may still break a project rule JSON Schema cannot state (the
            # sector shares add up to 100, Korea and another member state, an end after its start, the
            # source language has text, the workflow's guards): a 400 naming it is the right answer.
            # Reads have no such rule: for them a schema-valid request must succeed.
            "operations": [writes],
        }
    )


def run(headers: dict[str, str]) -> dict:
    started = time.perf_counter()
    schema = schemathesis.openapi.from_wsgi("/api/v1/schema/", _app(headers), config=_config(signed_in=bool(headers)))
    out = {"operations": set(), "cases": 0, "failures": [], "errors": [], "statuses": Counter()}
    for event in from_schema(schema).execute():
        if isinstance(event, events.ScenarioFinished):
            out["operations"].add(event.recorder.label)
            out["cases"] += len(event.recorder.cases)
            for interaction in event.recorder.interactions.values():
                if interaction.response is not None:
                    out["statuses"][(event.recorder.label, interaction.response.status_code)] += 1
            for checks in event.recorder.checks.values():
                for check in checks:
                    if check.status == Status.FAILURE:
                        failure = check.failure_info.failure if check.failure_info else None
                        out["failures"].append(
                            (
                                event.recorder.label,
                                check.name,
                                f"{getattr(failure, 'title', '')}: {getattr(failure, 'message', '')}",
                                check.failure_info.code_sample if check.failure_info else "",
                            )
                        )
        elif isinstance(event, (events.NonFatalError, events.FatalError)):
            out["errors"].append(repr(getattr(event, "info", None) or getattr(event, "exception", event)))
    out["seconds"] = time.perf_counter() - started
    return out


@pytest.fixture
def demo(transactional_db, system):
    from serai.demo.projects import load_demo_projects
    from serai.demo.registry import load_demo
    from serai.reference.operations import load_reference

    load_reference(system, None)
    load_demo(system, "pw-for-tests-1")
    load_demo_projects(system)
    from serai.demo.network import load_demo_network

    load_demo_network(system)  # published and submitted cooperation profiles


def _report(result) -> str:
    lines = [
        f"{len(result['operations'])} operations, {result['cases']} cases, {len(result['failures'])} failures, "
        f"{result['seconds']:.1f} s",
        " ".join(
            f"{label.split()[0]} {label.split()[1][7:]}={status}:{n}"
            for (label, status), n in sorted(result["statuses"].items())
        ),
    ]
    seen = set()
    for label, name, title, sample in result["failures"]:
        if (label, name, title) not in seen:
            seen.add((label, name, title))
            lines.append(f"- {label}: {name}: {title}\n{sample[:600]}")
    return "\n".join(lines + result["errors"])


def test_anonymous(demo):
    result = run({})
    print(_report(result))
    assert len(result["operations"]) >= 5 and result["cases"] > 0
    assert not result["failures"] and not result["errors"], _report(result)


def test_signed_in_focal_point(demo, client):
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.get(username="fp-kz")
    assert permissions.principal(user).countries  # a focal point (of Kazakhstan)
    client.force_login(user)
    token = secrets.token_hex(16)  # a CSRF secret: the cookie and the header carry the same one
    cookie = f"sessionid={client.cookies['sessionid'].value}; csrftoken={token}"
    result = run({"Cookie": cookie, "X-CSRFToken": token})
    print(_report(result))
    assert result["statuses"][("POST /api/v1/projects/", 201)]  # signed in: the documented example is created
    assert len(result["operations"]) >= 5 and result["cases"] > 0
    assert not result["failures"] and not result["errors"], _report(result)
