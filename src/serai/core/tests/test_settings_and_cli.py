import os
import secrets
import subprocess
import sys

import pytest


def _serai(*args, env=None, cwd=None):
    full_env = {**os.environ, **(env or {})}
    full_env.pop("DJANGO_SETTINGS_MODULE", None)
    full_env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set by the browser tests in this process
    return subprocess.run(
        [sys.executable, "-m", "serai", *args], capture_output=True, text=True, env=full_env, cwd=cwd, timeout=120
    )


def test_production_mode_passes_check_deploy_without_warnings(tmp_path):
    result = _serai(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env={
            "SERAI_ENV": "production",
            "SERAI_SECRET_KEY": secrets.token_urlsafe(64),
            "SERAI_ALLOWED_HOSTS": "serai.example.org",
            "SERAI_VAR_DIR": str(tmp_path / "var"),
        },
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_mode_refuses_to_start_without_a_secret_key(tmp_path):
    result = _serai(
        "check",
        env={
            "SERAI_ENV": "production",
            "SERAI_SECRET_KEY": "",
            "SERAI_ALLOWED_HOSTS": "x",
            "SERAI_VAR_DIR": str(tmp_path),
        },
    )
    assert result.returncode != 0 and "SERAI_SECRET_KEY" in result.stderr


def test_serai_command_lists_serai_commands(tmp_path):
    result = _serai("help", env={"SERAI_VAR_DIR": str(tmp_path)})
    assert result.returncode == 0
    for command in ("serve", "loadreference", "loaddemo", "ensureadmin", "migrate"):
        assert command in result.stdout


@pytest.mark.django_db(transaction=True)
def test_setup_commands_are_idempotent(tmp_path, settings):
    from django.core.management import call_command

    from serai.orgs.models import Organisation
    from serai.reference.models import MemberState

    settings.VAR_DIR = tmp_path
    call_command("loadreference", "--no-dac")
    call_command("loaddemo")
    call_command("loadreference", "--no-dac")
    call_command("loaddemo")
    assert MemberState.objects.count() == 6
    assert Organisation.objects.filter(is_demo=True).count() == 13
    call_command("ensureadmin")
    password = (tmp_path / "demo-admin.txt").read_text().strip()
    from django.contrib.auth import authenticate
    from django.test import RequestFactory

    # a request, as every real sign-in has: the login throttle (django-axes) needs its address
    assert authenticate(RequestFactory().post("/en/accounts/login/"), username="admin", password=password) is not None


@pytest.mark.django_db
def test_models_and_migrations_agree():
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out)
    assert "No changes detected" in out.getvalue()
