"""One answer everywhere to "which user acted?" (issue 18: the rule had three definitions)."""

import ast
from pathlib import Path

import pytest
from django.contrib.auth.models import AnonymousUser

from serai.core.actors import user_of
from serai.core.audit import SystemActor

SRC = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
def test_the_user_behind_an_actor(make_user):
    user = make_user()
    assert user_of(user) is user
    assert user_of(SystemActor("loadreference")) is None
    assert user_of(AnonymousUser()) is None
    assert user_of("loaddemo") is None
    assert user_of(None) is None


def test_no_package_decides_it_again():
    """No `getattr(actor, "pk", ...)` outside core/actors.py: every operation asks user_of."""
    found = []
    for path in SRC.rglob("*.py"):
        rel = path.relative_to(SRC)
        if "tests" in rel.parts or "migrations" in rel.parts or rel == Path("core/actors.py"):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id == "getattr"
                and len(node.args) >= 2
                and isinstance(node.args[0], ast.Name)
                and node.args[0].id == "actor"
                and isinstance(node.args[1], ast.Constant)
                and node.args[1].value in ("pk", "user")
            ):
                found.append(f"{rel}:{node.lineno}")
    assert not found, found
