"""More than one server (issue 19): one setting, SERAI_REDIS_URL, moves the cache and the sessions to a
shared Redis; SERAI_MEDIA_STORAGE picks where uploaded documents go. Without them nothing changes. The
redis and django-storages packages are imported only when asked for, and a missing one stops start-up
with a sentence naming it. Each case reads the settings in a fresh interpreter."""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys

SCRIPT = """
import json, os
os.environ["DJANGO_SETTINGS_MODULE"] = "serai.settings"
from django.conf import settings
import sys
print(json.dumps({
    "cache": settings.CACHES["default"],
    "sessions": settings.SESSION_ENGINE,
    "media": settings.STORAGES["default"],
    "redis_imported": "redis" in sys.modules,
    "storages_imported": "storages" in sys.modules,
}))
"""


def _settings(tmp_path, **env):
    full = {**os.environ, "SERAI_VAR_DIR": str(tmp_path / "var"), **env}
    for name in ("DJANGO_SETTINGS_MODULE", "SERAI_REDIS_URL", "SERAI_MEDIA_STORAGE"):
        if name not in env:
            full.pop(name, None)
    done = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True, env=full, timeout=120)
    return done, (json.loads(done.stdout) if done.returncode == 0 else None)


def test_one_server_keeps_the_embedded_defaults(tmp_path):
    done, found = _settings(tmp_path)
    assert done.returncode == 0, done.stderr
    assert found["cache"]["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"
    assert found["sessions"] == "django.contrib.sessions.backends.db"
    assert found["media"] == {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    assert not found["redis_imported"] and not found["storages_imported"]


def test_redis_url_moves_cache_and_sessions_to_the_shared_store(tmp_path):
    done, found = _settings(tmp_path, SERAI_REDIS_URL="redis://127.0.0.1:6390/2")
    if importlib.util.find_spec("redis") is None:
        assert done.returncode != 0
        assert "SERAI_REDIS_URL needs the redis package" in done.stderr
        return
    assert done.returncode == 0, done.stderr
    assert found["cache"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert found["cache"]["LOCATION"] == "redis://127.0.0.1:6390/2"
    assert found["cache"]["KEY_PREFIX"] == "serai"
    assert found["sessions"] == "django.contrib.sessions.backends.cached_db"


def test_media_storage_is_the_file_system_or_an_object_store(tmp_path):
    done, _ = _settings(tmp_path, SERAI_MEDIA_STORAGE="ftp")
    assert done.returncode != 0 and "SERAI_MEDIA_STORAGE must be 'filesystem' or 's3'" in done.stderr
    done, found = _settings(tmp_path, SERAI_MEDIA_STORAGE="s3", SERAI_S3_BUCKET="serai-documents")
    if importlib.util.find_spec("storages") is None or importlib.util.find_spec("boto3") is None:
        assert done.returncode != 0 and "pip install 'serai[s3]'" in done.stderr
        return
    assert done.returncode == 0, done.stderr
    assert found["media"]["BACKEND"] == "storages.backends.s3.S3Storage"
    assert found["media"]["OPTIONS"]["bucket_name"] == "serai-documents"
    assert found["media"]["OPTIONS"]["default_acl"] is None  # private: served after the permission check
    done, _ = _settings(tmp_path, SERAI_MEDIA_STORAGE="s3")
    assert done.returncode != 0 and "SERAI_S3_BUCKET" in done.stderr
