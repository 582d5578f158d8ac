"""The official IATI codelists, read from ``SERAI_IATI_CODELISTS`` (default: the shared data
folder's ``iati/codelists``). When they are not there, checks say so instead of passing silently."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from django.conf import settings

from serai.reference.codelists import CodelistError, find_codelist, read_codelist


def folder() -> Path:
    return Path(
        getattr(settings, "SERAI_IATI_CODELISTS", None) or Path(settings.SERAI_SHARED_DATA) / "iati" / "codelists"
    )


@lru_cache(maxsize=64)
def _codes(path: str, name: str) -> frozenset[str] | None:
    try:
        items, _ = read_codelist(find_codelist(Path(path), name))
    except (CodelistError, OSError):
        return None
    return frozenset(item.code for item in items if not item.withdrawn)


def codes(name: str) -> frozenset[str] | None:
    """Active codes of one codelist, or None when the codelists are not available."""
    return _codes(str(folder()), name)
