"""Backups that restore: ``serai backup`` and ``serai restore``.

One archive (``.tar``, or ``.tar.gz``) holds

* ``db/<app>.<model>.jsonl`` — every table, one JSON object per row with the row's own ids, read
  through the ORM in primary-key order inside one consistent snapshot. The format does not depend
  on the database engine: a SQLite backup restores into PostgreSQL and the other way round.
* ``media/…`` — the uploaded files (meeting and project documents) under ``MEDIA_ROOT``;
* ``trade/…`` — the trade store under ``SERAI_TRADE_DIR`` (``catalog.json``, the Parquet files,
  the load reports);
* ``manifest.json`` — the format, Serai's version, when, the applied migrations per app, the audit
  chain's head, and every member with its size and SHA-256 (tables also with their row count).

``restore`` checks the migrations against the code and the database, refuses an installation that
is not empty, verifies every member's checksum *before* it touches anything, then writes the files
into staging directories and the rows in one transaction; the staged directories are renamed into
place just before the commit. Any problem leaves the installation as it was and is reported as one
line naming the member. Sessions are not backed up (everyone signs in again); content types and
permissions, which ``migrate`` creates, are replaced by the backup's own rows so every id matches.
"""

from __future__ import annotations

import datetime as dt
import decimal
import hashlib
import io
import json
import os
import shutil
import tarfile
import tempfile
import time
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any, BinaryIO

from django.apps import apps
from django.conf import settings
from django.core.management.color import no_style
from django.db import connections, models, transaction
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone
from django.utils.duration import duration_iso_string
from django.utils.encoding import is_protected_type

FORMAT = "serai-backup/1"
MANIFEST = "manifest.json"
SKIPPED = {"sessions.session"}  # transient: restored installations start with nobody signed in
REPLACED = ("contenttypes.contenttype", "auth.permission")  # created by migrate; replaced by the backup's rows
BATCH = 1000
CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup or restore refused or failed; the message is one line naming what is wrong."""


# --- what is backed up ---------------------------------------------------------------------------
def backed_up_models() -> list[type[models.Model]]:
    """Every concrete table Django manages (many-to-many link tables too), content types and
    permissions first, then by label."""
    chosen = [
        m
        for m in apps.get_models(include_auto_created=True)
        if m._meta.managed and not m._meta.proxy and not m._meta.swapped and m._meta.label_lower not in SKIPPED
    ]
    order = {label: n for n, label in enumerate(REPLACED)}
    return sorted(chosen, key=lambda m: (order.get(m._meta.label_lower, len(order)), m._meta.label_lower))


def _file_roots() -> list[tuple[str, Path]]:
    return [("media", Path(settings.MEDIA_ROOT)), ("trade", Path(settings.SERAI_TRADE_DIR))]


def _files_under(root: Path) -> Iterator[Path]:
    if not root.is_dir():
        return
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        for name in sorted(filenames):
            path = Path(dirpath) / name
            if path.is_file() and not path.is_symlink():
                yield path


def serai_version() -> str:
    try:
        from importlib.metadata import version

        return version("serai")
    except Exception:  # noqa: BLE001 - not installed as a distribution (a source checkout)
        return "unknown"


def applied_migrations(using: str) -> dict[str, list[str]]:
    applied: dict[str, list[str]] = {}
    for app, name in sorted(MigrationRecorder(connections[using]).applied_migrations()):
        applied.setdefault(app, []).append(name)
    return applied


# --- rows as JSON ----------------------------------------------------------------------------------
def _json_default(value: Any) -> Any:
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return value.isoformat()  # to the microsecond (DjangoJSONEncoder would cut to milliseconds)
    if isinstance(value, dt.timedelta):
        return duration_iso_string(value)
    if isinstance(value, (decimal.Decimal, uuid.UUID)):
        return str(value)
    raise TypeError(f"cannot store {type(value).__name__} in a backup")


def _encode(obj: models.Model, fields: Iterable[models.Field]) -> str:
    row: dict[str, Any] = {}
    for f in fields:
        value = f.value_from_object(obj)
        if value is not None and not is_protected_type(value):
            value = f.value_to_string(obj)  # files by name, JSON as JSON, binary as base64 …
        row[f.attname] = value
    return json.dumps(row, default=_json_default, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _decode(model: type[models.Model], fields: list[models.Field], line: str) -> models.Model:
    row = json.loads(line)
    values = {}
    for f in fields:
        if f.attname not in row:
            raise ValueError(f"a row has no {f.attname}")
        raw = row[f.attname]
        values[f.attname] = None if raw is None else f.to_python(raw)
    return model(**values)


def _rows(model: type[models.Model], using: str) -> Iterator[models.Model]:
    """All rows in primary-key order, BATCH at a time (flat memory on any database)."""
    qs = model._base_manager.using(using).order_by("pk")
    last = None
    while True:
        page = qs if last is None else qs.filter(pk__gt=last)
        rows = list(page[:BATCH])
        if not rows:
            return
        yield from rows
        last = rows[-1].pk


@dataclass
class _Hashing:
    """A file object that hashes what is read through it (tarfile.addfile reads exactly size bytes)."""

    raw: BinaryIO
    digest: Any = field(default_factory=hashlib.sha256)
    size: int = 0

    def read(self, n: int = -1) -> bytes:
        data = self.raw.read(n)
        self.digest.update(data)
        self.size += len(data)
        return data


class _Snapshot:
    """One consistent, read-only view of the database for the whole dump."""

    def __init__(self, using: str):
        self.connection = connections[using]
        self.manual = False
        self.atomic = None

    def __enter__(self):
        c = self.connection
        if c.in_atomic_block:  # already inside a transaction (tests): read there
            return self
        if c.vendor == "sqlite":  # a deferred read transaction: writers are not blocked (WAL)
            c.ensure_connection()
            with c.cursor() as cursor:
                cursor.execute("BEGIN DEFERRED")
            self.manual = True
            return self
        self.atomic = transaction.atomic(using=c.alias)
        self.atomic.__enter__()
        if c.vendor == "postgresql":
            with c.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        return self

    def __exit__(self, *exc):
        if self.manual:
            with self.connection.cursor() as cursor:
                cursor.execute("ROLLBACK")
        elif self.atomic is not None:
            self.atomic.__exit__(*exc)
        return False


# --- backup ----------------------------------------------------------------------------------------
@dataclass
class BackupResult:
    path: Path
    manifest: dict[str, Any]
    seconds: float

    @property
    def summary(self) -> str:
        members = self.manifest["members"]
        tables = [m for m in members if m["kind"] == "table"]
        files = [m for m in members if m["kind"] != "table"]
        rows = sum(m["rows"] for m in tables)
        size = self.path.stat().st_size
        return (
            f"backup {self.path}: {len(tables)} tables, {rows} rows, {len(files)} files, "
            f"{size / 1e6:.1f} MB in {self.seconds:.1f} s"
        )


def default_backup_path() -> Path:
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    return Path(settings.VAR_DIR) / "backups" / f"serai-{stamp}.tar.gz"


def create_backup(path: Path | str | None = None, *, using: str = "default") -> BackupResult:
    """Write the archive to ``path`` (``.tar.gz``/``.tgz`` compressed, else a plain ``.tar``).

    The archive is written under a temporary name and renamed when complete, so a path that
    exists is always a whole backup. It holds password hashes and personal data: mode 0600.
    """
    from serai.core.audit import verify_chain

    started = time.monotonic()
    path = Path(path) if path else default_backup_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists():
        raise BackupError(f"{path} exists already: choose another name")
    compressed = path.name.endswith((".tar.gz", ".tgz"))
    fd, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    os.close(fd)
    os.chmod(tmp_name, 0o600)
    members: list[dict[str, Any]] = []
    referenced: set[str] = set()
    try:
        with (
            tarfile.open(tmp_name, "w:gz" if compressed else "w", format=tarfile.PAX_FORMAT) as tar,
            tempfile.TemporaryDirectory(dir=path.parent, prefix=".serai-backup-") as work,
        ):
            with _Snapshot(using):
                created = timezone.now()
                migrations = applied_migrations(using)
                chain = verify_chain(using)
                for model in backed_up_models():
                    members.append(_dump_table(tar, model, Path(work), using, referenced))
            for kind, root in _file_roots():
                for file in _files_under(root):
                    name = f"{kind}/{file.relative_to(root).as_posix()}"
                    members.append(_add_file(tar, file, name, kind))
            stored = {m["name"][len("media/") :] for m in members if m["kind"] == "media"}
            manifest = {
                "format": FORMAT,
                "serai_version": serai_version(),
                "created": created.isoformat(),
                "database": connections[using].vendor,
                "migrations": migrations,
                "latest_migrations": {app: names[-1] for app, names in migrations.items()},
                "audit": {
                    "entries": chain.entries,
                    "verified": chain.ok,
                    "head_id": chain.head_id,
                    "head_hash": chain.head_hash,
                    **({} if chain.ok else {"broken_id": chain.broken_id, "problem": chain.problem}),
                },
                "missing_files": sorted(referenced - stored),
                "members": members,
            }
            data = json.dumps(manifest, ensure_ascii=False, indent=1).encode("utf-8")
            info = tarfile.TarInfo(MANIFEST)
            info.size, info.mtime, info.mode = len(data), int(time.time()), 0o600
            tar.addfile(info, io.BytesIO(data))
        os.replace(tmp_name, path)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise
    return BackupResult(path, manifest, time.monotonic() - started)


def _dump_table(
    tar: tarfile.TarFile, model: type[models.Model], work: Path, using: str, referenced: set[str]
) -> dict[str, Any]:
    meta = model._meta
    fields = list(meta.local_concrete_fields)
    file_fields = [f for f in fields if isinstance(f, models.FileField)]
    name = f"db/{meta.label_lower}.jsonl"
    out = work / f"{meta.label_lower}.jsonl"
    digest, rows = hashlib.sha256(), 0
    with out.open("wb") as fh:
        for obj in _rows(model, using):
            line = (_encode(obj, fields) + "\n").encode("utf-8")
            digest.update(line)
            fh.write(line)
            rows += 1
            for f in file_fields:
                value = getattr(obj, f.attname)
                if value:
                    referenced.add(value.name)
    size = out.stat().st_size
    info = tarfile.TarInfo(name)
    info.size, info.mtime, info.mode = size, int(time.time()), 0o600
    with out.open("rb") as fh:
        tar.addfile(info, fh)
    out.unlink()
    return {
        "name": name,
        "kind": "table",
        "model": meta.label_lower,
        "table": meta.db_table,
        "rows": rows,
        "size": size,
        "sha256": digest.hexdigest(),
    }


def _add_file(tar: tarfile.TarFile, file: Path, name: str, kind: str) -> dict[str, Any]:
    info = tar.gettarinfo(str(file), arcname=name)
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    with file.open("rb") as fh:
        reader = _Hashing(fh)
        tar.addfile(info, reader)
    if reader.size != info.size:
        raise BackupError(f"{file} changed while it was being backed up: run the backup again")
    return {"name": name, "kind": kind, "size": info.size, "sha256": reader.digest.hexdigest()}


# --- restore ---------------------------------------------------------------------------------------
@dataclass
class RestoreResult:
    source: Path
    tables: dict[str, int]
    files: dict[str, int]
    audit: dict[str, Any]
    seconds: float
    report: Path | None = None

    @property
    def summary(self) -> str:
        chain = (
            f"audit chain verified ({self.audit['entries']} entries)"
            if self.audit["verified"]
            else f"AUDIT CHAIN BROKEN at entry {self.audit['broken_id']} (as it was in the backup)"
        )
        return (
            f"restored {self.source}: {len(self.tables)} tables, {sum(self.tables.values())} rows, "
            + ", ".join(f"{n} {kind} files" for kind, n in self.files.items())
            + f"; {chain}; in {self.seconds:.1f} s"
        )


def _open(path: Path) -> tarfile.TarFile:
    try:
        return tarfile.open(path, "r:*")
    except (OSError, tarfile.TarError) as exc:
        raise BackupError(f"{path}: not a readable backup archive ({exc})") from exc


def read_manifest(path: Path) -> dict[str, Any]:
    with _open(path) as tar:
        try:
            member = tar.getmember(MANIFEST)
            manifest = json.loads(tar.extractfile(member).read().decode("utf-8"))
        except KeyError:
            raise BackupError(f"{path}: no {MANIFEST}: not a Serai backup") from None
        except (ValueError, tarfile.TarError, OSError) as exc:
            raise BackupError(f"{path}: member {MANIFEST} is unreadable ({exc})") from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(
            f"{path}: member {MANIFEST}: format {manifest.get('format') if isinstance(manifest, dict) else None!r}"
            f" is not {FORMAT!r}"
        )
    for m in manifest.get("members", []):
        _check_member_name(path, m.get("name", ""), m.get("kind", ""))
    return manifest


def _check_member_name(path: Path, name: str, kind: str) -> None:
    pure = PurePosixPath(name)
    if (
        kind not in {"table", "media", "trade"}
        or pure.is_absolute()
        or ".." in pure.parts
        or pure.parts[:1] != ({"table": "db"}.get(kind, kind),)
        or len(pure.parts) < 2
        or "\\" in name
    ):
        raise BackupError(f"{path}: member {name!r}: an unsafe or unknown name in the manifest")


def check_migrations(manifest: dict[str, Any], using: str) -> None:
    """The backup's migrations must be known to this code and be exactly those applied here."""
    connection = connections[using]
    known = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    theirs = {(app, name) for app, names in manifest["migrations"].items() for name in names}
    ours = {(app, name) for app, names in applied_migrations(using).items() for name in names}
    version = manifest.get("serai_version", "unknown")
    newer = sorted(theirs - known)
    if newer:
        app, name = newer[0]
        raise BackupError(
            f"the backup is newer than this Serai: it has migration {app}.{name}, which this code "
            f"does not know; upgrade Serai (the backup was made by {version}) first"
        )
    if not ours:
        raise BackupError(f"the database {connection.settings_dict['NAME']} has no tables: run `serai migrate` first")
    missing = sorted(theirs - ours)
    if missing:
        app, name = missing[0]
        raise BackupError(
            f"this database lacks migration {app}.{name}, which the backup has: run `serai migrate` first"
        )
    later = sorted(ours - theirs)
    if later:
        app, name = later[0]
        raise BackupError(
            f"the backup was made before migration {app}.{name}: restore it with the Serai version "
            f"that made it ({version}), then upgrade with `serai migrate`"
        )


def check_empty(using: str) -> None:
    """Refuse an installation that holds anything a restore would overwrite or mix with."""
    for model in backed_up_models():
        if model._meta.label_lower in REPLACED:
            continue
        if model._base_manager.using(using).exists():
            raise BackupError(
                f"the installation is not empty: table {model._meta.db_table} has rows; restore into a "
                "new database (after `serai migrate`) with empty media and trade directories"
            )
    for kind, root in _file_roots():
        first = next(_files_under(root), None)
        if first is not None:
            raise BackupError(
                f"the installation is not empty: the {kind} directory has files ({first}); restore "
                "into empty media and trade directories"
            )


def verify_archive(path: Path, manifest: dict[str, Any]) -> None:
    """Read every member and compare its size and SHA-256 with the manifest; nothing is written."""
    expected = {m["name"]: m for m in manifest["members"]}
    seen: set[str] = set()
    with _open(path) as tar:
        try:
            for info in tar:
                if info.name == MANIFEST:
                    continue
                m = expected.get(info.name)
                if m is None:
                    raise BackupError(f"{path}: member {info.name}: not in the manifest (the archive was altered)")
                if not info.isreg():
                    raise BackupError(f"{path}: member {info.name}: not a regular file")
                if info.name in seen:
                    raise BackupError(f"{path}: member {info.name}: appears twice")
                _check_content(path, info.name, tar.extractfile(info), m)
                seen.add(info.name)
        except (tarfile.TarError, OSError, EOFError) as exc:
            raise BackupError(f"{path}: the archive is damaged after {len(seen)} members ({exc})") from exc
    missing = sorted(set(expected) - seen)
    if missing:
        raise BackupError(f"{path}: member {missing[0]}: listed in the manifest but missing from the archive")


def _check_content(path: Path, name: str, fh: BinaryIO, m: dict[str, Any], sink: BinaryIO | None = None) -> None:
    digest, size = hashlib.sha256(), 0
    while chunk := fh.read(CHUNK):
        digest.update(chunk)
        size += len(chunk)
        if sink is not None:
            sink.write(chunk)
    if size != m["size"] or digest.hexdigest() != m["sha256"]:
        raise BackupError(
            f"{path}: member {name}: checksum does not match the manifest (the archive is damaged or "
            "was altered); nothing was restored"
        )


def restore_backup(path: Path | str, *, using: str = "default") -> RestoreResult:
    """Bring a backup back into an empty installation: all of it, or nothing."""
    from serai.core.audit import verify_chain
    from serai.core.reports import write_report

    started = time.monotonic()
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"{path}: no such file")
    manifest = read_manifest(path)
    check_migrations(manifest, using)
    check_empty(using)
    verify_archive(path, manifest)

    by_name = {m["name"]: m for m in manifest["members"]}
    by_model = {m.get("model"): m for m in manifest["members"] if m["kind"] == "table"}
    ours = {m._meta.label_lower: m for m in backed_up_models()}
    unknown = sorted(set(by_model) - set(ours))
    if unknown:
        raise BackupError(f"{path}: member {by_model[unknown[0]]['name']}: no such table in this Serai")
    roots = dict(_file_roots())
    staging: dict[str, Path] = {}
    placed: list[Path] = []  # roots whose staged directory was renamed into place
    tables: dict[str, int] = {}
    files: dict[str, int] = {kind: 0 for kind in roots}
    connection = connections[using]
    try:
        for kind, root in roots.items():
            root.parent.mkdir(parents=True, exist_ok=True)
            staging[kind] = Path(tempfile.mkdtemp(dir=root.parent, prefix=f".{root.name}.restore-"))
        with transaction.atomic(using=using):
            from django.contrib.auth.models import Permission
            from django.contrib.contenttypes.models import ContentType

            # migrate made these with its own ids; the backup's rows replace them so every id matches.
            Permission.objects.using(using).all()._raw_delete(using)
            ContentType.objects.using(using).all()._raw_delete(using)
            ContentType.objects.clear_cache()
            with _open(path) as tar:
                for info in tar:
                    if info.name == MANIFEST:
                        continue
                    m = by_name[info.name]
                    fh = tar.extractfile(info)
                    if m["kind"] == "table":
                        tables[m["model"]] = _load_table(path, ours[m["model"]], fh, m, using)
                    else:
                        target = staging[m["kind"]].joinpath(*PurePosixPath(info.name).parts[1:])
                        target.parent.mkdir(parents=True, exist_ok=True)
                        with target.open("wb") as out:
                            _check_content(path, info.name, fh, m, sink=out)
                        files[m["kind"]] += 1
            for label, model in ours.items():
                expected = by_model.get(label, {}).get("rows", 0)
                actual = model._base_manager.using(using).count()
                if actual != expected:
                    raise BackupError(
                        f"{path}: member db/{label}.jsonl: {actual} rows restored, the manifest says {expected}"
                    )
            restored_models = [ours[label] for label in tables]
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    for sql in connection.ops.sequence_reset_sql(no_style(), restored_models):
                        cursor.execute(sql)
            connection.check_constraints()
            chain = verify_chain(using)
            if manifest["audit"]["verified"] and not chain.ok:
                raise BackupError(
                    f"{path}: member db/core.auditentry.jsonl: the audit chain verified when the backup was "
                    f"made but breaks at entry {chain.broken_id} once restored"
                )
            ContentType.objects.clear_cache()
            _add_missing_content_types(using)
            for kind, root in roots.items():
                _place(root, staging.pop(kind))
                placed.append(root)
    except BackupError:
        _undo(placed)
        raise
    except Exception as exc:
        _undo(placed)
        message = f"{path}: the restore failed and was rolled back: {type(exc).__name__}: {exc}"
        raise BackupError(message.replace("\n", " ")) from exc
    finally:
        for directory in staging.values():
            shutil.rmtree(directory, ignore_errors=True)
    audit = {
        "entries": chain.entries,
        "verified": chain.ok,
        "head_id": chain.head_id,
        "head_hash": chain.head_hash,
        **({} if chain.ok else {"broken_id": chain.broken_id, "problem": chain.problem}),
    }
    result = RestoreResult(path, tables, files, audit, time.monotonic() - started)
    result.report = write_report(
        "restore",
        {
            "source": str(path),
            "backup_created": manifest["created"],
            "backup_serai_version": manifest["serai_version"],
            "backup_database": manifest["database"],
            "database": connection.vendor,
            "tables": tables,
            "files": files,
            "audit": audit,
            "missing_files_in_backup": manifest.get("missing_files", []),
            "seconds": result.seconds,
        },
    )
    return result


def _load_table(path: Path, model: type[models.Model], fh: BinaryIO, m: dict[str, Any], using: str) -> int:
    fields = list(model._meta.local_concrete_fields)
    connection = connections[using]
    batch_size = max(1, min(BATCH, connection.ops.bulk_batch_size(fields, [None] * BATCH)))
    manager = model._base_manager.using(using)
    batch: list[models.Model] = []
    rows = 0
    for number, raw in enumerate(io.TextIOWrapper(fh, encoding="utf-8"), start=1):
        try:
            batch.append(_decode(model, fields, raw))
        except Exception as exc:  # noqa: BLE001 - any bad row is reported by member and line
            raise BackupError(f"{path}: member {m['name']}: line {number}: {exc}".replace("\n", " ")) from exc
        if len(batch) >= batch_size:
            manager._insert(batch, fields=fields, using=using, raw=True)  # raw: auto_now and uploads untouched
            rows += len(batch)
            batch = []
    if batch:
        manager._insert(batch, fields=fields, using=using, raw=True)
        rows += len(batch)
    return rows


def _add_missing_content_types(using: str) -> None:
    """Content types and permissions of models the backup did not know (none when the migrations match)."""
    from django.contrib.auth.management import create_permissions
    from django.contrib.contenttypes.management import create_contenttypes

    for app_config in apps.get_app_configs():
        create_contenttypes(app_config, verbosity=0, using=using)
        create_permissions(app_config, verbosity=0, using=using)


def _place(root: Path, staged: Path) -> None:
    """Rename the staged directory to ``root`` (which holds no files: checked before)."""
    if root.exists():
        if next(_files_under(root), None) is not None:
            raise BackupError(f"{root} received files during the restore; nothing was restored")
        shutil.rmtree(root)
    os.replace(staged, root)


def _undo(placed: list[Path]) -> None:
    """Empty again the directories a failed restore had filled (they were empty before)."""
    for root in placed:
        shutil.rmtree(root, ignore_errors=True)
        root.mkdir(parents=True, exist_ok=True)
