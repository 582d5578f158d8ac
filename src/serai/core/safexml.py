"""A hardened lxml parser: no entity expansion, no DTD or network access, bounded size.

Every XML file Serai reads (codelists, IATI files) goes through :func:`parse_file` or
:func:`safe_parser`. Errors name the file and line.
"""

from __future__ import annotations

import os
from pathlib import Path

from lxml import etree

DEFAULT_MAX_BYTES = 64 * 1024 * 1024


class UnsafeXMLError(ValueError):
    """The document is malformed, too large, or uses a DTD or entities."""


def safe_parser(**overrides) -> etree.XMLParser:
    options = dict(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )
    options.update(overrides)
    return etree.XMLParser(**options)


def _reject_doctype(tree: etree._ElementTree, where: str) -> None:
    docinfo = tree.docinfo
    if docinfo.doctype or (docinfo.internalDTD is not None) or (docinfo.externalDTD is not None):
        raise UnsafeXMLError(f"{where}: a DOCTYPE declaration is not allowed")


def parse_file(path: str | os.PathLike[str], max_bytes: int = DEFAULT_MAX_BYTES) -> etree._ElementTree:
    path = Path(path)
    size = path.stat().st_size
    if size > max_bytes:
        raise UnsafeXMLError(f"{path}: {size} bytes is more than the limit of {max_bytes}")
    try:
        tree = etree.parse(str(path), safe_parser())
    except etree.XMLSyntaxError as exc:
        line = exc.lineno if exc.lineno is not None else "?"
        raise UnsafeXMLError(f"{path}, line {line}: {exc.msg}") from exc
    _reject_doctype(tree, str(path))
    return tree
