"""Accepted uploads: which files Serai takes, how large, and that a file is what its name says.

One table and one limit (``SERAI_MAX_UPLOAD_MB``) for every upload: meeting documents go through
:func:`check`; the network's directory import takes its own two types (CSV, XLSX) through
:func:`check_name` and :func:`check_size`
(or the messages :func:`not_accepted` and :func:`too_large`). Each refusal is a ``ValidationError`` on the form's field.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

ACCEPTED = {
    # extension: magic bytes the file must start with (None: plain text, no signature)
    ".pdf": (b"%PDF-",),
    ".docx": (b"PK\x03\x04",),
    ".xlsx": (b"PK\x03\x04",),
    ".pptx": (b"PK\x03\x04",),
    ".odt": (b"PK\x03\x04",),
    ".ods": (b"PK\x03\x04",),
    ".odp": (b"PK\x03\x04",),
    ".doc": (b"\xd0\xcf\x11\xe0",),
    ".xls": (b"\xd0\xcf\x11\xe0",),
    ".ppt": (b"\xd0\xcf\x11\xe0",),
    ".png": (b"\x89PNG",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".txt": None,
    ".csv": None,
}


def max_bytes() -> int:
    return settings.SERAI_MAX_UPLOAD_MB * 1024 * 1024


def not_accepted(name: str, types) -> str:
    return _("%(name)s: files of this type are not accepted (%(types)s).") % {
        "name": name,
        "types": ", ".join(sorted(types)),
    }


def too_large(name: str) -> str:
    return _("%(name)s is larger than %(mb)s MB.") % {"name": name, "mb": settings.SERAI_MAX_UPLOAD_MB}


def _error(field: str | None, message: str) -> ValidationError:
    return ValidationError({field: message} if field else message)


def check_name(name: str, types=ACCEPTED, field: str | None = "file") -> str:
    """The file's extension, if it is one of ``types``; else a ValidationError naming them (on
    ``field``; ``None`` inside a form's ``clean_<field>``)."""
    ext = Path(name).suffix.lower()
    if ext not in types:
        raise _error(field, not_accepted(name, types))
    return ext


def check_size(name: str, size: int, field: str | None = "file") -> None:
    if size > max_bytes():
        raise _error(field, too_large(name))


def check(upload, field: str | None = "file") -> str:
    """Check an uploaded file (type, size, signature) and return its SHA-256; the file is left
    at its start for saving."""
    name = Path(upload.name).name
    ext = check_name(name, ACCEPTED, field)
    check_size(name, upload.size, field)
    digest = hashlib.sha256()
    head = b""
    for chunk in upload.chunks():
        head = head or chunk[:8]
        digest.update(chunk)
    upload.seek(0)
    signatures = ACCEPTED[ext]
    if signatures is not None and not head.startswith(signatures):
        raise _error(field, _("%(name)s does not look like a %(ext)s file.") % {"name": name, "ext": ext})
    return digest.hexdigest()
