"""Backups that restore: a realistic installation is backed up and brought back into empty
installations (SQLite, and PostgreSQL when the tests run on it, across engines both ways); every
table's row count and every file's checksum must match, the audit chain must verify and a user
must still sign in with the same password. Damaged archives and non-empty installations are refused
with nothing written."""

from __future__ import annotations

import hashlib
import io
import json
import os
import subprocess
import sys
import tarfile
import uuid
from pathlib import Path

import pytest

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
USER, PASSWORD = "restorer", "Correct-Horse-Battery-42"

# Run in a subprocess against a restored installation (and in-process against the source): what
# every table holds and every file's checksum, whether the password still works and the chain verifies.
STATE_SCRIPT = """
import os, sys, json
os.environ["DJANGO_SETTINGS_MODULE"] = "serai.settings"
import django
django.setup()
from serai.core.tests.test_backup import installation_state
print(json.dumps(installation_state(sys.argv[1], sys.argv[2])))
"""


def installation_state(username: str, password: str) -> dict:
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.db import connection

    from serai.core.audit import verify_chain
    from serai.core.backup import backed_up_models

    counts = {}
    with connection.cursor() as cursor:
        for model in backed_up_models():
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(model._meta.db_table)}")
            counts[model._meta.db_table] = cursor.fetchone()[0]
    files = {}
    for kind, root in (("media", Path(settings.MEDIA_ROOT)), ("trade", Path(settings.SERAI_TRADE_DIR))):
        for path in sorted(root.rglob("*")) if root.exists() else []:
            if path.is_file():
                files[f"{kind}/{path.relative_to(root).as_posix()}"] = hashlib.sha256(path.read_bytes()).hexdigest()
    user = get_user_model().objects.filter(username=username).first()
    chain = verify_chain()
    return {
        "counts": counts,
        "files": files,
        "login": bool(user and user.check_password(password)),
        "chain": chain.ok,
        "chain_entries": chain.entries,
        "chain_head": chain.head_hash,
    }


def _serai(*args, env):
    full = {**os.environ, **env}
    full.pop("DJANGO_SETTINGS_MODULE", None)
    full.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    return subprocess.run(
        [sys.executable, "-m", "serai", *map(str, args)], capture_output=True, text=True, env=full, timeout=600
    )


def _state_of(env) -> dict:
    full = {**os.environ, **env}
    full.pop("DJANGO_SETTINGS_MODULE", None)
    done = subprocess.run(
        [sys.executable, "-c", STATE_SCRIPT, USER, PASSWORD], capture_output=True, text=True, env=full, timeout=600
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def _empty_installation(root: Path, database_url: str) -> dict:
    env = {
        "DATABASE_URL": database_url,
        "SERAI_VAR_DIR": str(root / "var"),
        "SERAI_MEDIA_ROOT": str(root / "media"),
        "SERAI_TRADE_DIR": str(root / "trade"),
    }
    done = _serai("migrate", "-v0", env=env)
    assert done.returncode == 0, done.stderr
    return env


@pytest.fixture(scope="session")
def migrated_sqlite(tmp_path_factory):
    """An empty SQLite installation after `serai migrate`, made once; copied for each target."""
    root = tmp_path_factory.mktemp("migrated")
    _empty_installation(root, f"sqlite:///{root / 'serai.sqlite3'}")
    return root / "serai.sqlite3"


@pytest.fixture
def sqlite_installation(migrated_sqlite):
    """sqlite_installation(root) → the environment of a new empty SQLite installation under root."""
    import shutil

    def make(root: Path) -> dict:
        root.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(migrated_sqlite, root / "serai.sqlite3")
        return {
            "DATABASE_URL": f"sqlite:///{root / 'serai.sqlite3'}",
            "SERAI_VAR_DIR": str(root / "var"),
            "SERAI_MEDIA_ROOT": str(root / "media"),
            "SERAI_TRADE_DIR": str(root / "trade"),
        }

    return make


@pytest.fixture
def postgres_database():
    """make() → the URL of a new, empty PostgreSQL database beside the test database (dropped after)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL targets need the tests to run on PostgreSQL")
    import psycopg

    params = connection.settings_dict
    made = []

    def admin():
        return psycopg.connect(
            host=params["HOST"],
            port=params["PORT"],
            user=params["USER"],
            password=params["PASSWORD"] or None,
            dbname="postgres",
            autocommit=True,
        )

    def make() -> str:
        name = f"serai_restore_{uuid.uuid4().hex[:10]}"
        with admin() as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        made.append(name)
        password = f":{params['PASSWORD']}" if params["PASSWORD"] else ""
        return f"postgres://{params['USER']}{password}@{params['HOST']}:{params['PORT']}/{name}"

    yield make
    with admin() as conn:
        for name in made:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def installation(tmp_path, settings, reference, make_user, system):
    """Reference data, demo organisations, people and logins, projects in three languages, a
    meeting with an uploaded document, a user with a password, audit entries and a trade store."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.core.management import call_command

    from serai.access.models import Role
    from serai.core.i18n import TranslatedText
    from serai.demo.projects import generate
    from serai.governance import operations as governance
    from serai.governance.models import Meeting
    from serai.trade import ingest, synth
    from serai.trade.store import TradeStore

    settings.MEDIA_ROOT = tmp_path / "source" / "media"
    settings.SERAI_TRADE_DIR = tmp_path / "source" / "trade"
    settings.VAR_DIR = tmp_path / "source" / "var"
    call_command("loaddemo", stdout=io.StringIO())
    generate(25, batch=10)
    staff = make_user(Role.SECRETARIAT, username=USER, password=PASSWORD)
    session = Meeting.objects.filter(body__kind="forum").order_by("-year").first()
    governance.attach_document(
        staff,
        session,
        SimpleUploadedFile("statement.pdf", PDF),
        is_public=True,
        title=TranslatedText({"en": "Statement", "ko": "성명", "ru": "Заявление"}),
        kind="statement",
    )
    synth.generate(tmp_path / "csv", [2020], n_countries=12, n_products=40, rows=1500, seed=3)
    ingest.load(tmp_path / "csv", TradeStore(settings.SERAI_TRADE_DIR), synthetic=True)
    return tmp_path


def _rewrite(source: Path, target: Path, change) -> None:
    """Copy a backup archive, passing each member's bytes through change(name, data)."""
    with tarfile.open(source, "r:*") as src, tarfile.open(target, "w:gz") as dst:
        for info in src:
            data = change(info.name, src.extractfile(info).read())
            info.size = len(data)
            dst.addfile(info, io.BytesIO(data))


@pytest.mark.django_db
def test_a_backup_restores_into_empty_installations_table_by_table_and_file_by_file(
    installation, postgres_or_none, sqlite_installation
):
    from serai.core.backup import create_backup

    tmp = installation
    source = installation_state(USER, PASSWORD)
    assert source["login"] and source["chain"] and source["chain_entries"] > 100
    assert any(name.startswith("media/meetings/") for name in source["files"])
    assert "trade/catalog.json" in source["files"] and any(n.endswith(".parquet") for n in source["files"])
    assert source["counts"]["projects_project"] >= 25 and source["counts"]["auth_user"] >= 6

    backup = create_backup(tmp / "backup.tar.gz")
    tables = {m["table"]: m["rows"] for m in backup.manifest["members"] if m["kind"] == "table"}
    assert tables == source["counts"] and "django_session" not in tables  # sessions are not backed up

    # Into SQLite (from PostgreSQL when the tests run on it).
    lite = sqlite_installation(tmp / "lite")
    done = _serai("restore", backup.path, env=lite)
    assert done.returncode == 0, done.stderr
    assert "audit chain verified" in done.stdout
    assert _state_of(lite) == source
    verify = _serai("audit", "verify", env=lite)
    assert verify.returncode == 0 and verify.stdout.startswith(f"ok: {source['chain_entries']} entries")

    # A backup of the restored installation holds exactly the same bytes, member by member.
    again = tmp / "again.tar"
    assert _serai("backup", again, env=lite).returncode == 0
    from serai.core.backup import read_manifest

    def members(manifest):
        return {m["name"]: (m["size"], m["sha256"], m.get("rows")) for m in manifest["members"]}

    assert members(read_manifest(again)) == members(backup.manifest)

    # And that SQLite backup into PostgreSQL.
    if postgres_or_none is not None:
        pg = _empty_installation(tmp / "pg", postgres_or_none())
        done = _serai("restore", again, env=pg)
        assert done.returncode == 0, done.stderr
        assert _state_of(pg) == source
        # New rows after the restore get new ids (sequences were reset) and extend the chain.
        script = (
            "import os; os.environ['DJANGO_SETTINGS_MODULE']='serai.settings'; import django; django.setup();"
            "from serai.core.audit import record, verify_chain; from serai.people.models import Person;"
            "from serai.core.operations import create_object; from serai.core.i18n import TranslatedText;"
            "create_object('system: test', Person, 'person.create', {'name': TranslatedText({'en': 'New'})});"
            "print(verify_chain().ok)"
        )
        full = {**os.environ, **pg}
        full.pop("DJANGO_SETTINGS_MODULE", None)
        added = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=full, timeout=300)
        assert added.returncode == 0 and added.stdout.strip() == "True", added.stderr


@pytest.fixture
def postgres_or_none(request):
    from django.db import connection

    if connection.vendor != "postgresql":
        return None
    return request.getfixturevalue("postgres_database")


@pytest.mark.django_db
def test_a_damaged_member_is_refused_by_name_and_nothing_is_written(installation, sqlite_installation):
    from serai.core.backup import create_backup

    tmp = installation
    backup = create_backup(tmp / "backup.tar.gz")
    target = sqlite_installation(tmp / "target")
    for member in ("media/", "db/auth.user.jsonl", "trade/catalog.json"):
        damaged = tmp / "damaged.tar.gz"
        hit = []

        def flip(name, data, member=member, hit=hit):
            if name.startswith(member) and not hit:
                hit.append(name)
                return data[:-2] + bytes([data[-2] ^ 1]) + data[-1:]  # one bit, same size
            return data

        _rewrite(backup.path, damaged, flip)
        done = _serai("restore", damaged, env=target)
        assert done.returncode != 0
        error = done.stderr.strip()
        assert f"member {hit[0]}: checksum does not match" in error and len(error.splitlines()) == 1
    state = _state_of(target)
    assert all(n == 0 for t, n in state["counts"].items() if t not in {"django_content_type", "auth_permission"})
    assert state["files"] == {}
    assert not [p for p in (tmp / "target").iterdir() if p.name.startswith(".")]  # no staging left behind


@pytest.fixture
def small_installation(tmp_path, settings, reference, make_user):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SERAI_TRADE_DIR = tmp_path / "trade"
    settings.VAR_DIR = tmp_path / "var"
    make_user(username=USER, password=PASSWORD)
    return tmp_path


@pytest.mark.django_db
def test_restore_refuses_a_non_empty_installation(small_installation):
    installation = small_installation
    from serai.core.backup import BackupError, create_backup, restore_backup
    from serai.core.models import AuditEntry

    backup = create_backup(installation / "backup.tar.gz")
    entries = AuditEntry.objects.count()
    with pytest.raises(BackupError, match="not empty: table"):
        restore_backup(backup.path)
    assert AuditEntry.objects.count() == entries


@pytest.mark.django_db
def test_restore_refuses_files_in_an_otherwise_empty_installation(small_installation, sqlite_installation):
    from serai.core.backup import create_backup

    installation = small_installation
    backup = create_backup(installation / "backup.tar.gz")
    target = sqlite_installation(installation / "target")
    (installation / "target" / "media").mkdir()
    (installation / "target" / "media" / "left-over.pdf").write_bytes(PDF)
    done = _serai("restore", backup.path, env=target)
    assert done.returncode != 0 and "the media directory has files" in done.stderr
    assert all(
        n == 0 for t, n in _state_of(target)["counts"].items() if t not in {"django_content_type", "auth_permission"}
    )


@pytest.mark.django_db
def test_restore_refuses_a_backup_newer_than_the_code(small_installation):
    from serai.core.backup import BackupError, create_backup, restore_backup

    installation = small_installation
    backup = create_backup(installation / "backup.tar.gz")
    newer = installation / "newer.tar.gz"

    def future(name, data):
        if name != "manifest.json":
            return data
        manifest = json.loads(data)
        manifest["migrations"]["core"].append("9999_from_the_future")
        return json.dumps(manifest).encode()

    _rewrite(backup.path, newer, future)
    with pytest.raises(BackupError, match="newer than this Serai: it has migration core.9999_from_the_future"):
        restore_backup(newer)


@pytest.mark.django_db
def test_a_backup_never_overwrites_and_leaves_no_partial_file(small_installation):
    from serai.core.backup import BackupError, create_backup

    installation = small_installation
    path = installation / "backup.tar"
    path.write_bytes(b"precious")
    with pytest.raises(BackupError, match="exists already"):
        create_backup(path)
    assert path.read_bytes() == b"precious"
    assert [p.name for p in installation.iterdir() if p.name.startswith(".")] == []
