"""Reading IATI codelists (the official XML format) from a folder such as
``shared/data/iati/codelists``. Reads only; writing is in :mod:`serai.reference.operations`."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from serai.core.safexml import parse_file

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


class CodelistError(ValueError):
    pass


@dataclass(frozen=True)
class CodelistItem:
    code: str
    name: str
    category: str
    withdrawn: bool
    line: int


def find_codelist(folder: Path, name: str) -> Path:
    folder = Path(folder)
    for sub in ("non-embedded", "embedded", "xml", "."):
        candidate = folder / sub / f"{name}.xml"
        if candidate.is_file():
            return candidate
    raise CodelistError(f"{folder}: no {name}.xml under non-embedded/, embedded/ or the folder itself")


def read_codelist(path: Path) -> tuple[list[CodelistItem], str]:
    """Items of one codelist file, and the file's SHA-256."""
    tree = parse_file(path)
    root = tree.getroot()
    if root.tag != "codelist":
        raise CodelistError(f"{path}, line {root.sourceline}: the root element is <{root.tag}>, not <codelist>")
    items: list[CodelistItem] = []
    for element in root.iterfind("codelist-items/codelist-item"):
        code = (element.findtext("code") or "").strip()
        if not code:
            raise CodelistError(f"{path}, line {element.sourceline}: field 'code' is empty")
        name = ""
        for narrative in element.iterfind("name/narrative"):
            if narrative.get(XML_LANG) in (None, "en"):
                name = (narrative.text or "").strip()
                break
        items.append(
            CodelistItem(
                code=code,
                name=name,
                category=(element.findtext("category") or "").strip(),
                withdrawn=element.get("status") == "withdrawn",
                line=element.sourceline or 0,
            )
        )
    digest = hashlib.sha256(Path(path).read_bytes()).hexdigest()
    return items, digest
