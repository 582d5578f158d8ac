"""A hardened lxml parser: no entity expansion, no DTD or network access, bounded size.

Every XML file Serai reads (codelists, IATI files) goes through :func:`parse_file` or
:func:`safe_parser`. Errors name the file and line.

A DOCTYPE is refused from what the parser itself read (the document's ``docinfo``), not from a
scan of the first bytes, so its position in the file and the file's encoding do not matter.
UCS-4 (UTF-32), which libxml2 reads only without a byte-order mark, is refused outright.
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


# The first four bytes of a UCS-4 document: its byte-order marks, then the four byte orders of
# "<" without one (XML 1.0, appendix F).
UCS4_STARTS = (
    b"\x00\x00\xfe\xff",
    b"\xff\xfe\x00\x00",
    b"\x00\x00\xff\xfe",
    b"\xfe\xff\x00\x00",
    b"\x00\x00\x00<",
    b"<\x00\x00\x00",
    b"\x00\x00<\x00",
    b"\x00<\x00\x00",
)
UCS4_MESSAGE = "UCS-4 (UTF-32) encoded XML is not accepted; use UTF-8 or UTF-16"
DOCTYPE_MESSAGE = "a DOCTYPE declaration is not allowed (no DTD, no entities)"


def is_ucs4(head: bytes) -> bool:
    """Whether a document starting with ``head`` (at least its first four bytes) is UCS-4."""
    return head[:4] in UCS4_STARTS


def has_doctype(tree: etree._ElementTree) -> bool:
    """Whether the parser met a DOCTYPE (internal subset or external reference) in the document
    ``tree`` belongs to; for a streamed document, ask once its first element has been read."""
    docinfo = tree.docinfo
    return bool(
        docinfo.doctype
        or docinfo.internalDTD is not None
        or docinfo.externalDTD is not None
        or docinfo.system_url
        or docinfo.public_id
    )


def _reject_doctype(tree: etree._ElementTree, where: str) -> None:
    if has_doctype(tree):
        raise UnsafeXMLError(f"{where}: {DOCTYPE_MESSAGE}")


def parse_file(path: str | os.PathLike[str], max_bytes: int = DEFAULT_MAX_BYTES) -> etree._ElementTree:
    path = Path(path)
    size = path.stat().st_size
    if size > max_bytes:
        raise UnsafeXMLError(f"{path}: {size} bytes is more than the limit of {max_bytes}")
    with open(path, "rb") as fh:
        if is_ucs4(fh.read(4)):
            raise UnsafeXMLError(f"{path}: {UCS4_MESSAGE}")
    try:
        tree = etree.parse(str(path), safe_parser())
    except etree.XMLSyntaxError as exc:
        line = exc.lineno if exc.lineno is not None else "?"
        raise UnsafeXMLError(f"{path}, line {line}: {exc.msg}") from exc
    _reject_doctype(tree, str(path))
    return tree
