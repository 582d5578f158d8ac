"""``/healthz``: is this application server fit to take requests? For the reverse proxy and monitoring.

It checks what every page needs — the database answers a query, and the cache (the shared Redis when
there are several servers) takes a value and gives it back — and answers ``200 {"status": "ok", …}``
or ``503 {"status": "fail", …}`` naming the check that failed (the error itself goes to the log, never
to the caller). The answer is tiny and never stored: no session is read or written, no cookie set,
``Cache-Control: no-store``; it is not a cached page and not a login (so login throttling never
applies), and the two-factor step lets it through (``access/middleware.py``).
"""

from __future__ import annotations

import logging
import secrets

from django.core.cache import caches
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.http import require_safe

log = logging.getLogger(__name__)


def _database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        if cursor.fetchone() != (1,):
            raise RuntimeError("SELECT 1 did not answer 1")


def _cache() -> None:
    cache = caches["default"]
    key, value = f"healthz:{secrets.token_hex(8)}", secrets.token_hex(8)
    cache.set(key, value, 30)
    try:
        if cache.get(key) != value:
            raise RuntimeError("the cache did not give back what it was given")
    finally:
        cache.delete(key)


CHECKS = {"database": _database, "cache": _cache}


@require_safe
def healthz(request):
    results = {}
    for name, check in CHECKS.items():
        try:
            check()
        except Exception:  # any failure is a failed check: the proxy takes this server out
            log.exception("health check %s failed", name)
            results[name] = "fail"
        else:
            results[name] = "ok"
    ok = all(v == "ok" for v in results.values())
    response = JsonResponse({"status": "ok" if ok else "fail", "checks": results}, status=200 if ok else 503)
    response["Cache-Control"] = "no-store"
    return response
