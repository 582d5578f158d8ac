"""Bulk import of organisations and cooperation profiles from CSV or XLSX files.

The column layout is in ``docs/network-import.md``. An import

* reads every file first (CSV in UTF-8, ``,`` or ``;``; XLSX through openpyxl in read-only mode,
  after checking the archive's unpacked size), under the upload limit ``SERAI_MAX_UPLOAD_MB``;
* writes each row through the domains' audited operations (``serai.orgs.operations`` for
  organisations, ``serai.network.operations`` for profiles), inside one transaction: if any row
  is wrong, every row is rolled back and each error names the file, the line and the column;
* matches an organisation by its IATI identifier, else by its exact name in one language and
  its country, and a profile by its organisation, kind and exact title: an existing row is
  updated (cells left empty keep what is stored), a new one is created, and the report says which;
* in a dry run does all of that and rolls it back: nothing is written, the report is the same;
* leaves a JSON report in ``var/reports/network-import-<time>.json`` (real runs, done or rejected),
  as the other imports do (:mod:`serai.core.reports`).

Staging (for the web page's upload → dry run → confirm) keeps the uploaded bytes under
``var/imports/`` until they are imported or a day old; the confirm form carries a signed token
naming the file, its SHA-256 and the user.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import re
import secrets
import time
import zipfile
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from serai.access import permissions
from serai.core import audit, uploads
from serai.core.i18n import TranslatedText
from serai.core.reports import write_report
from serai.core.workflow import TransitionError

# --- limits --------------------------------------------------------------------------------------
MAX_ROWS = 50_000  # data rows over all files of one import
MAX_COLUMNS = 64
MAX_CELL_CHARS = 20_000
MAX_ERRORS = 500  # errors kept in the report (the count is always complete)
XLSX_MAX_UNPACKED = 256 * 1024**2  # bytes the XLSX archive may unpack to (a zip bomb is refused)
XLSX_MAX_RATIO = 200  # unpacked / packed
EXTENSIONS = (".csv", ".xlsx")
LANGS = ("en", "ko", "ru")
SPLIT = re.compile(r"[;,\s]+")


max_bytes = uploads.max_bytes  # the one upload limit (serai.core.uploads)


# --- the column layouts --------------------------------------------------------------------------
ORG = "organisation"
PROFILE = "profile"

ORG_COLUMNS = (
    "iati_identifier",
    "name_en",
    "name_ko",
    "name_ru",
    "acronym",
    "helix",
    "iati_type",
    "country",
    "fields",
    "website",
    "description_en",
    "description_ko",
    "description_ru",
    "language",
)
PROFILE_COLUMNS = (
    "organisation",
    "organisation_country",
    "kind",
    "title_en",
    "title_ko",
    "title_ru",
    "description_en",
    "description_ko",
    "description_ru",
    "fields",
    "dac_sectors",
    "hs4",
    "target_countries",
    "seeks_helix",
    "valid_until",
    "language",
    "status",
)
COLUMNS = {ORG: ORG_COLUMNS, PROFILE: PROFILE_COLUMNS}
# Read-only columns the directory export adds (serai.network.directory): ignored, so an exported
# file can be edited and imported again.
IGNORED = ("id", "published_profiles", "organisation_name", "published_at")
# The columns a sheet of each kind must have (names: at least one of name_en/ko/ru; checked per row).
REQUIRED = {ORG: ("helix",), PROFILE: ("organisation", "kind")}
SHEET_NAMES = {
    "organisations": ORG,
    "organizations": ORG,
    "orgs": ORG,
    "profiles": PROFILE,
    "cooperation_profiles": PROFILE,
}
# model field → the column an error on it is reported under
ORG_FIELD_COLUMNS = {
    "member_state": "country",
    "other_country": "country",
    "name": "name_en",
    "description": "description_en",
}
PROFILE_FIELD_COLUMNS = {
    "title": "title_en",
    "description": "description_en",
    "organisation": "organisation",
    "status": "status",
}


class ImportError_(Exception):
    """The files cannot be read at all (type, size, encoding, layout); nothing was written."""


@dataclass
class RowError:
    file: str
    line: int
    field: str
    message: str
    sheet: str = ""

    def __str__(self) -> str:
        where = self.file + (f" [{self.sheet}]" if self.sheet else "")
        if not self.line:
            return f"{where}: {self.message}"
        if self.field:
            return _("%(file)s line %(line)s, field '%(field)s': %(message)s") % {
                "file": where,
                "line": self.line,
                "field": self.field,
                "message": self.message,
            }
        return _("%(file)s line %(line)s: %(message)s") % {"file": where, "line": self.line, "message": self.message}


@dataclass
class ImportReport:
    command: str = "network-import"
    files: list[dict[str, Any]] = field(default_factory=list)
    actor: str = ""
    dry_run: bool = False
    started_at: str = field(default_factory=lambda: dt.datetime.now(dt.UTC).isoformat())
    seconds: float = 0.0
    status: str = ""  # done | dry-run | rejected
    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    unchanged: dict[str, int] = field(default_factory=dict)
    rows: list[dict[str, Any]] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    error_count: int = 0
    report_path: str = ""

    def count(self, bucket: str, kind: str) -> None:
        counter = getattr(self, bucket)
        counter[kind] = counter.get(kind, 0) + 1

    def error(self, err: RowError) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_ERRORS:
            self.errors.append(err)

    @property
    def ok(self) -> bool:
        return self.error_count == 0

    def total(self, bucket: str) -> int:
        return sum(getattr(self, bucket).values())

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["errors"] = [{**asdict(e), "text": str(e)} for e in self.errors]
        return data


# --- reading -------------------------------------------------------------------------------------
@dataclass
class Table:
    file: str
    sheet: str
    kind: str
    header: list[str]
    rows: list[tuple[int, dict[str, str]]]  # (line, column → text) for each non-empty row


def _norm_header(value: Any) -> str:
    return re.sub(r"[\s\-]+", "_", str(value or "").strip().lower())


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _kind_of(label: str, sheet: str, header: list[str]) -> str:
    by_name = SHEET_NAMES.get(_norm_header(sheet)) if sheet else None
    if by_name:
        return by_name
    if "kind" in header:
        return PROFILE
    if "helix" in header:
        return ORG
    raise ImportError_(
        _(
            "%(file)s: the first row names neither the organisation columns (%(orgs)s) nor the profile columns "
            "(%(profiles)s)."
        )
        % {
            "file": label + (f" [{sheet}]" if sheet else ""),
            "orgs": ", ".join(ORG_COLUMNS),
            "profiles": ", ".join(PROFILE_COLUMNS),
        }
    )


def _table(
    label: str, sheet: str, raw_rows: Iterator[tuple[int, list[Any]]], report: ImportReport, budget: list[int]
) -> Table | None:
    header: list[str] | None = None
    rows: list[tuple[int, dict[str, str]]] = []
    kind = ""
    for line, values in raw_rows:
        texts = [_text(v) for v in values]
        if header is None:
            if not any(texts):
                continue
            header = [_norm_header(v) for v in texts]
            while header and not header[-1]:
                header.pop()
            if len(header) > MAX_COLUMNS:
                raise ImportError_(_("%(file)s: more than %(n)s columns.") % {"file": label, "n": MAX_COLUMNS})
            kind = _kind_of(label, sheet, header)
            allowed = COLUMNS[kind]
            for i, name in enumerate(header):
                if not name:
                    raise ImportError_(
                        _("%(file)s line %(line)s: column %(n)s has no name.")
                        % {"file": label, "line": line, "n": i + 1}
                    )
                if name not in allowed and name not in IGNORED:
                    raise ImportError_(
                        _("%(file)s line %(line)s: unknown column '%(name)s' (the columns are: %(allowed)s).")
                        % {"file": label, "line": line, "name": name, "allowed": ", ".join(allowed)}
                    )
                if header.count(name) > 1:
                    raise ImportError_(
                        _("%(file)s line %(line)s: the column '%(name)s' appears twice.")
                        % {"file": label, "line": line, "name": name}
                    )
            missing = [c for c in REQUIRED[kind] if c not in header]
            if kind == ORG and not any(f"name_{lang}" in header for lang in LANGS):
                missing.append("name_en")
            if kind == PROFILE and not any(f"title_{lang}" in header for lang in LANGS):
                missing.append("title_en")
            if missing:
                raise ImportError_(
                    _("%(file)s line %(line)s: missing column(s) %(names)s.")
                    % {"file": label, "line": line, "names": ", ".join(missing)}
                )
            continue
        if not any(texts):
            continue
        budget[0] += 1
        if budget[0] > MAX_ROWS:
            raise ImportError_(
                _("%(file)s: more than %(n)s rows in one import; split the file.") % {"file": label, "n": MAX_ROWS}
            )
        if any(t for t in texts[len(header) :]):
            report.error(RowError(label, line, "", _("more cells than columns in the first row"), sheet))
        row = {}
        for name, text in zip(header, texts):
            if name in IGNORED:
                continue
            if len(text) > MAX_CELL_CHARS:
                report.error(
                    RowError(label, line, name, _("longer than %(n)s characters") % {"n": MAX_CELL_CHARS}, sheet)
                )
                text = ""
            row[name] = text
        rows.append((line, row))
    if header is None:
        return None
    return Table(label, sheet, kind, header, rows)


def _csv_rows(label: str, data: bytes) -> Iterator[tuple[int, list[Any]]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ImportError_(
            _("%(file)s line %(line)s: the file is not UTF-8 text (save it as “CSV UTF-8”).")
            % {"file": label, "line": line}
        ) from None
    if "\x00" in text:
        raise ImportError_(
            _("%(file)s: the file is not UTF-8 text (save it as “CSV UTF-8”).") % {"file": label, "line": 1}
        )
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    start = 1
    try:
        for values in reader:
            yield start, values
            start = reader.line_num + 1
    except csv.Error as exc:
        raise ImportError_(
            _("%(file)s line %(line)s: %(error)s") % {"file": label, "line": start, "error": exc}
        ) from None


def _xlsx_tables(label: str, data: bytes, report: ImportReport, budget: list[int]) -> list[Table]:
    if not data.startswith(b"PK\x03\x04"):
        raise ImportError_(_("%(name)s does not look like a %(ext)s file.") % {"name": label, "ext": ".xlsx"})
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile:
        raise ImportError_(_("%(name)s does not look like a %(ext)s file.") % {"name": label, "ext": ".xlsx"}) from None
    if unpacked > XLSX_MAX_UNPACKED or unpacked > XLSX_MAX_RATIO * max(len(data), 1):
        raise ImportError_(
            _("%(file)s unpacks to more than the import accepts; save it again or split it.") % {"file": label}
        )
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 (openpyxl raises many kinds on a damaged workbook)
        raise ImportError_(
            _("%(file)s cannot be read as a workbook (%(error)s).") % {"file": label, "error": type(exc).__name__}
        ) from None
    tables = []
    try:
        for ws in workbook.worksheets:

            def rows(ws=ws):
                for i, values in enumerate(ws.iter_rows(values_only=True, max_col=MAX_COLUMNS + 1), start=1):
                    yield i, list(values)

            table = _table(label, ws.title, rows(), report, budget)
            if table is not None:
                tables.append(table)
    finally:
        workbook.close()
    return tables


def read_files(files: list[tuple[str, bytes]], report: ImportReport) -> list[Table]:
    """Every table of every file; organisations first, then profiles (a profile may name an
    organisation created by the same import)."""
    tables: list[Table] = []
    budget = [0]
    for label, data in files:
        ext = Path(label).suffix.lower()
        if ext not in EXTENSIONS:
            raise ImportError_(uploads.not_accepted(label, EXTENSIONS))
        if len(data) > max_bytes():
            raise ImportError_(uploads.too_large(label))
        report.files.append({"name": label, "bytes": len(data), "sha256": hashlib.sha256(data).hexdigest()})
        if ext == ".csv":
            table = _table(label, "", _csv_rows(label, data), report, budget)
            if table is not None:
                tables.append(table)
        else:
            tables.extend(_xlsx_tables(label, data, report, budget))
    if not any(t.rows for t in tables):
        raise ImportError_(_("No rows to import."))
    return sorted(tables, key=lambda t: 0 if t.kind == ORG else 1)


# --- parsing one row -----------------------------------------------------------------------------
class RowProblems(Exception):
    def __init__(self, problems: list[tuple[str, str]]):
        self.problems = problems


class Context:
    """What the rows are checked against: reference data and the existing organisations, read once."""

    def __init__(self):
        from serai.orgs.models import Helix, Organisation
        from serai.reference.models import CooperationField, DacSector, MemberState

        self.helix = list(Helix.values)
        self.states = {s.iso2: s for s in MemberState.objects.all()}
        self.fields = {f.code: f for f in CooperationField.objects.all()}
        self.dac = None  # read on first use (thousands of codes)
        self._dac_model = DacSector
        self.by_iati: dict[str, Any] = {}
        self.by_name: dict[tuple[str, str, str], Any] = {}
        self.by_plain_name: dict[str, dict[int, Any]] = {}
        for org in Organisation.objects.select_related("member_state").order_by("id"):
            self.remember(org)
        self.seen_orgs: dict[int, int] = {}  # org pk → the line that imported it
        self.seen_profiles: dict[int, int] = {}
        self._profiles: dict[tuple[int, str, str, str], int] | None = None

    def _profile_index(self) -> dict[tuple[int, str, str, str], int]:
        """(organisation, kind, language, title) → profile pk, read on first use."""
        if self._profiles is None:
            from serai.network.models import CooperationProfile

            self._profiles = {}
            for pk, org_id, kind, title in CooperationProfile.objects.order_by("id").values_list(
                "pk", "organisation_id", "kind", "title"
            ):
                for lang, text in TranslatedText.coerce(title).values.items():
                    self._profiles.setdefault((org_id, kind, lang, text.strip()), pk)
        return self._profiles

    def find_profile(self, org_id: int, kind: str, titles: dict[str, str]) -> int | None:
        index = self._profile_index()
        for lang, title in titles.items():
            pk = index.get((org_id, kind, lang, title))
            if pk is not None:
                return pk
        return None

    def remember_profile(self, profile) -> None:
        index = self._profile_index()
        for lang, text in TranslatedText.coerce(profile.title).values.items():
            index.setdefault((profile.organisation_id, profile.kind, lang, text.strip()), profile.pk)

    def remember(self, org) -> None:
        if org.iati_identifier:
            self.by_iati.setdefault(org.iati_identifier.upper(), org)
        country = org.country_code or ""
        for lang, name in (org.name.values if org.name else {}).items():
            self.by_name.setdefault((lang, name.strip(), country), org)
            self.by_plain_name.setdefault(name.strip(), {})[org.pk] = org

    def find_org(self, iati_id: str, names: dict[str, str], country: str):
        if iati_id and iati_id.upper() in self.by_iati:
            return self.by_iati[iati_id.upper()]
        for lang, name in names.items():
            org = self.by_name.get((lang, name, country))
            if org is not None:
                return org
        return None

    def dac_sectors(self) -> dict[str, Any]:
        if self.dac is None:
            self.dac = {d.code: d for d in self._dac_model.objects.all()}
        return self.dac


def _choice(problems, column: str, value: str, allowed: list[str]) -> str:
    if value and value not in allowed:
        problems.append(
            (column, _("'%(value)s' is not one of %(allowed)s") % {"value": value, "allowed": ", ".join(allowed)})
        )
        return ""
    return value


def _codes(problems, column: str, value: str, known: dict[str, Any], upper: bool = False) -> list[Any]:
    out = []
    for code in SPLIT.split(value):
        if not code:
            continue
        code = code.upper() if upper else code
        if code not in known:
            problems.append((column, _("'%(value)s' is not a known code") % {"value": code}))
        else:
            out.append(known[code])
    return out


def _translated(row: dict[str, str], stem: str, language: str) -> dict[str, str]:
    return {lang: row.get(f"{stem}_{lang}", "") for lang in LANGS if row.get(f"{stem}_{lang}", "")}


def _merge_text(current, given: dict[str, str], language: str) -> TranslatedText:
    current = TranslatedText.coerce(current)
    values = {**current.values, **given}
    source = (
        current.source if current.source in values else (language if language in given else next(iter(given), None))
    )
    flags = {k: v for k, v in current.flags.items() if k not in given}
    return TranslatedText(values, source=source, flags=flags)


def _language(problems, row: dict[str, str], stem: str) -> str:
    language = row.get("language", "").lower()
    if language and language not in LANGS:
        problems.append(
            ("language", _("'%(value)s' is not one of %(allowed)s") % {"value": language, "allowed": ", ".join(LANGS)})
        )
        language = ""
    given = _translated(row, stem, language)
    return language or next(iter(given), "en")


def _country(problems, column: str, value: str, ctx: Context) -> tuple[Any, str]:
    """(member state, other country) for an ISO alpha-2 code."""
    code = value.upper()
    if not code:
        return None, ""
    if code in ctx.states:
        return ctx.states[code], ""
    if not re.fullmatch(r"[A-Z]{2}", code):
        problems.append((column, _("'%(value)s' is not a two-letter ISO country code") % {"value": value}))
        return None, ""
    return None, code


def _validation_problems(exc: ValidationError, columns: dict[str, str]) -> list[tuple[str, str]]:
    if not hasattr(exc, "error_dict"):
        return [("", " ".join(str(m) for m in exc.messages))]
    out = []
    for name, errors in exc.message_dict.items():
        column = "" if name == "__all__" else columns.get(name, name)
        out.append((column, " ".join(str(m) for m in errors)))
    return out


# --- organisations -------------------------------------------------------------------------------
def _import_org(actor, row: dict[str, str], line: int, ctx: Context) -> tuple[str, Any]:
    from serai.orgs import operations as org_operations

    problems: list[tuple[str, str]] = []
    language = _language(problems, row, "name")
    names = _translated(row, "name", language)
    if not names:
        problems.append(("name_en", _("give the name in at least one language (name_en, name_ko or name_ru)")))
    helix = _choice(problems, "helix", row.get("helix", "").lower(), ctx.helix)
    if not row.get("helix"):
        problems.append(("helix", _("required")))
    member_state, other = _country(problems, "country", row.get("country", ""), ctx)
    fields = _codes(problems, "fields", row.get("fields", ""), ctx.fields)
    iati_id = row.get("iati_identifier", "")
    if problems:
        raise RowProblems(problems)
    country = member_state.iso2 if member_state else other
    existing = ctx.find_org(iati_id, names, country)
    if existing is not None and existing.pk in ctx.seen_orgs:
        raise RowProblems([("", _("the same organisation as line %(line)s") % {"line": ctx.seen_orgs[existing.pk]})])
    values: dict[str, Any] = {}
    for column in ("acronym", "iati_type", "website", "iati_identifier"):
        if row.get(column):
            values[column] = row[column]
    if helix:
        values["helix"] = helix
    descriptions = _translated(row, "description", language)
    try:
        if existing is None:
            values.update(
                {
                    "name": TranslatedText(names, source=language if language in names else None),
                    "member_state": member_state,
                    "other_country": other,
                }
            )
            if descriptions:
                values["description"] = TranslatedText(
                    descriptions, source=language if language in descriptions else None
                )
            org = org_operations.create_organisation(actor, values, fields)
            action = "created"
        else:
            if row.get("country"):
                values["member_state"], values["other_country"] = member_state, other
            values["name"] = _merge_text(existing.name, names, language)
            if descriptions:
                values["description"] = _merge_text(existing.description, descriptions, language)
            version = existing.version  # the operation saves (and bumps it) only when something changed
            org = org_operations.update_organisation(actor, existing, values, fields if row.get("fields") else None)
            action = "updated" if org.version != version else "unchanged"
    except ValidationError as exc:
        raise RowProblems(_validation_problems(exc, ORG_FIELD_COLUMNS)) from None
    ctx.seen_orgs[org.pk] = line
    ctx.remember(org)
    return action, org


# --- profiles ------------------------------------------------------------------------------------
STATUS_ORDER = ("draft", "submitted", "published")
TRANSITIONS = {"submitted": "submit", "published": "publish"}  # the move that reaches each status


def _profile_org(problems, row: dict[str, str], ctx: Context):
    ref = row.get("organisation", "")
    if not ref:
        problems.append(("organisation", _("required")))
        return None
    member_state, other = _country(problems, "organisation_country", row.get("organisation_country", ""), ctx)
    if ref.upper() in ctx.by_iati:
        return ctx.by_iati[ref.upper()]
    if row.get("organisation_country"):
        country = member_state.iso2 if member_state else other
        org = ctx.find_org("", {lang: ref for lang in LANGS}, country)
        if org is None:
            problems.append(
                (
                    "organisation",
                    _("no organisation has the IATI identifier or the name '%(value)s' in %(country)s")
                    % {"value": ref, "country": country},
                )
            )
        return org
    found = ctx.by_plain_name.get(ref, {})
    if not found:
        problems.append(
            ("organisation", _("no organisation has the IATI identifier or the name '%(value)s'") % {"value": ref})
        )
        return None
    if len(found) > 1:
        problems.append(
            (
                "organisation",
                _("several organisations are called '%(value)s'; give organisation_country") % {"value": ref},
            )
        )
        return None
    return next(iter(found.values()))


def _date(problems, column: str, value: str):
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        problems.append((column, _("'%(value)s' is not a date in the form 2027-12-31") % {"value": value}))
        return None


def _import_profile(actor, row: dict[str, str], line: int, ctx: Context) -> tuple[str, Any]:
    from serai.network import operations as network_operations
    from serai.network.models import CooperationProfile, ProfileKind

    problems: list[tuple[str, str]] = []
    org = _profile_org(problems, row, ctx)
    kind = _choice(problems, "kind", row.get("kind", "").lower(), list(ProfileKind.values))
    if not row.get("kind"):
        problems.append(("kind", _("required")))
    language = _language(problems, row, "title")
    titles = _translated(row, "title", language)
    if not titles:
        problems.append(("title_en", _("give the title in at least one language (title_en, title_ko or title_ru)")))
    descriptions = _translated(row, "description", language)
    m2m: dict[str, list] = {}
    if row.get("fields"):
        m2m["fields"] = _codes(problems, "fields", row["fields"], ctx.fields)
    if row.get("dac_sectors"):
        m2m["dac_sectors"] = _codes(problems, "dac_sectors", row["dac_sectors"], ctx.dac_sectors())
    if row.get("target_countries"):
        m2m["target_countries"] = _codes(problems, "target_countries", row["target_countries"], ctx.states, upper=True)
    values: dict[str, Any] = {}
    if row.get("hs4"):
        codes = [c for c in SPLIT.split(row["hs4"]) if c]
        for code in codes:
            if not re.fullmatch(r"[0-9]{4}", code):
                problems.append(("hs4", _("'%(value)s' is not a four-digit HS code") % {"value": code}))
        values["hs4"] = codes
    if row.get("seeks_helix"):
        values["seeks_helix"] = [
            _choice(problems, "seeks_helix", h.lower(), ctx.helix) for h in SPLIT.split(row["seeks_helix"]) if h
        ]
    if row.get("valid_until"):
        values["valid_until"] = _date(problems, "valid_until", row["valid_until"])
    target = _choice(problems, "status", row.get("status", "").lower(), list(STATUS_ORDER))
    if problems:
        raise RowProblems(problems)
    if kind:
        values["kind"] = kind
    existing_pk = ctx.find_profile(org.pk, kind, titles)
    if existing_pk is not None and existing_pk in ctx.seen_profiles:
        raise RowProblems([("", _("the same profile as line %(line)s") % {"line": ctx.seen_profiles[existing_pk]})])
    try:
        if existing_pk is None:
            values["title"] = TranslatedText(titles, source=language if language in titles else None)
            if descriptions:
                values["description"] = TranslatedText(
                    descriptions, source=language if language in descriptions else None
                )
            profile = network_operations.create_profile(actor, org, {**values, **m2m})
            action = "created"
        else:
            profile = CooperationProfile.objects.select_related("organisation").get(pk=existing_pk)
            values["title"] = _merge_text(profile.title, titles, language)
            if descriptions:
                values["description"] = _merge_text(profile.description, descriptions, language)
            version = profile.version  # the operation saves (and bumps it) only when something changed
            profile = network_operations.update_profile(actor, profile, {**values, **m2m})
            action = "updated" if profile.version != version else "unchanged"
        if target and profile.status in STATUS_ORDER:
            for status in STATUS_ORDER[STATUS_ORDER.index(profile.status) + 1 : STATUS_ORDER.index(target) + 1]:
                profile = network_operations.fire_profile(actor, profile, TRANSITIONS[status])
                action = "created" if action == "created" else "updated"
    except ValidationError as exc:
        raise RowProblems(_validation_problems(exc, PROFILE_FIELD_COLUMNS)) from None
    except TransitionError as exc:
        raise RowProblems([("status", " ".join(str(p) for p in exc.problems))]) from None
    ctx.seen_profiles[profile.pk] = line
    ctx.remember_profile(profile)
    return action, profile


IMPORTERS = {ORG: _import_org, PROFILE: _import_profile}


# --- the import ----------------------------------------------------------------------------------
def run(actor: Any, files: list[tuple[str, bytes]], *, dry_run: bool = False) -> ImportReport:
    """Import ``files`` ((name, bytes) pairs) in one transaction. A dry run, or any bad row,
    rolls everything back. Raises :class:`ImportError_` when a file cannot be read at all."""
    permissions.require(actor, "network.import")
    started = time.monotonic()
    report = ImportReport(actor=audit.actor_label(actor), dry_run=dry_run)
    try:
        tables = read_files(files, report)
    except ImportError_ as exc:
        report.error(RowError("", 0, "", str(exc)))
        return _finish(report, started)
    with transaction.atomic():
        ctx = Context()
        for table in tables:
            importer = IMPORTERS[table.kind]
            for line, row in table.rows:
                try:
                    with transaction.atomic():
                        action, obj = importer(actor, row, line, ctx)
                except RowProblems as exc:
                    for column, message in exc.problems:
                        report.error(RowError(table.file, line, column, message, table.sheet))
                    continue
                except PermissionDenied as exc:
                    report.error(RowError(table.file, line, "", str(exc), table.sheet))
                    continue
                report.count(action, table.kind)
                report.rows.append(
                    {
                        "file": table.file,
                        "sheet": table.sheet,
                        "line": line,
                        "kind": table.kind,
                        "action": action,
                        "id": obj.pk,
                        "label": str(obj)[:200],
                    }
                )
        if report.ok and not dry_run:
            audit.record(
                actor,
                "network.import",
                None,
                extra={
                    "files": report.files,
                    "created": report.created,
                    "updated": report.updated,
                    "unchanged": report.unchanged,
                },
            )
        if dry_run or not report.ok:
            transaction.set_rollback(True)
    if dry_run:
        # what would have been written; the ids are gone with the rollback
        for row in report.rows:
            if row["action"] == "created":
                row["id"] = None
    return _finish(report, started)


def _finish(report: ImportReport, started: float) -> ImportReport:
    report.seconds = round(time.monotonic() - started, 3)
    report.status = "rejected" if not report.ok else ("dry-run" if report.dry_run else "done")
    if not report.dry_run:
        report.report_path = str(write_report("network-import", report.as_dict()))
    return report


def run_paths(actor: Any, paths: list[Path], *, dry_run: bool = False) -> ImportReport:
    """The command line's entry: files by path (the same size limit as an upload)."""
    files = []
    for path in paths:
        path = Path(path)
        if path.stat().st_size > max_bytes():
            raise ImportError_(uploads.too_large(path.name))
        files.append((path.name, path.read_bytes()))
    return run(actor, files, dry_run=dry_run)


# --- staging an upload between the dry run and the confirmation -----------------------------------
STAGE_MAX_AGE = 24 * 3600
TOKEN_SALT = "serai.network.import"


def _stage_dir() -> Path:
    path = Path(settings.VAR_DIR) / "imports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def stage(user: Any, name: str, data: bytes) -> str:
    """Keep an uploaded file for its confirmation; returns a signed token naming it."""
    now = time.time()
    for old in _stage_dir().glob("*.upload"):
        try:
            if now - old.stat().st_mtime > STAGE_MAX_AGE:
                old.unlink()
        except OSError:
            pass
    key = secrets.token_hex(16)
    (_stage_dir() / f"{key}.upload").write_bytes(data)
    return signing.dumps(
        {"k": key, "n": Path(name).name[:200], "u": user.pk, "h": hashlib.sha256(data).hexdigest()}, salt=TOKEN_SALT
    )


def unstage(user: Any, token: str, *, remove: bool = False) -> tuple[str, bytes]:
    """The (name, bytes) a token names, for the user who staged it; ``ImportError_`` if the token
    is forged, expired, someone else's, or the file changed or is gone."""
    try:
        data = signing.loads(token, salt=TOKEN_SALT, max_age=STAGE_MAX_AGE)
    except signing.BadSignature:
        raise ImportError_(_("This import has expired or is not yours; upload the file again.")) from None
    if data.get("u") != user.pk or not re.fullmatch(r"[0-9a-f]{32}", str(data.get("k", ""))):
        raise ImportError_(_("This import has expired or is not yours; upload the file again."))
    path = _stage_dir() / f"{data['k']}.upload"
    try:
        body = path.read_bytes()
    except OSError:
        raise ImportError_(_("This import has expired or is not yours; upload the file again.")) from None
    if hashlib.sha256(body).hexdigest() != data.get("h"):
        raise ImportError_(_("This import has expired or is not yours; upload the file again."))
    if remove:
        path.unlink(missing_ok=True)
    return data["n"], body
