"""Streaming, hardened reading of IATI 2.01–2.03 activity files (no Django here).

lxml ``iterparse`` walks the file one ``<iati-activity>`` at a time and frees each after use, so
memory stays flat whatever the file size. No DTD is loaded, no entity is expanded, nothing is
fetched; a DOCTYPE is refused outright, as the parser reports it (wherever it stands and whatever
the encoding), before any activity is read. A file over the size limit, malformed XML (with its
line), a root other than ``<iati-activities>`` and an unsupported version are errors for the
whole file; a bad activity is returned as a rejection with its line and reason.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from serai.core.safexml import DOCTYPE_MESSAGE, UCS4_MESSAGE, has_doctype, is_ucs4

from . import data as d

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
VERSIONS = {"2.01", "2.02", "2.03"}
DEFAULT_MAX_BYTES = 4 * 1024**3


class IatiFileError(ValueError):
    """The whole file is refused (nothing from it is stored)."""

    def __init__(self, path: str, line: int | None, message: str):
        self.path, self.line, self.message = path, line, message
        super().__init__(f"{path}, line {line}: {message}" if line else f"{path}: {message}")


@dataclass
class Rejection:
    line: int
    identifier: str
    reason: str


@dataclass
class Parsed:
    activity: d.Activity
    line: int
    raw: bytes
    digest: str


def _texts(el: etree._Element | None, default_lang: str) -> d.Texts:
    out: d.Texts = {}
    if el is None:
        return out
    for n in el.iterchildren("narrative"):
        text = (n.text or "").strip()
        if text:
            out.setdefault(n.get(XML_LANG) or default_lang, text)
    return out


def _money(el: etree._Element, default_currency: str) -> d.Money:
    value = el.find("value")
    if value is None or not (value.text or "").strip():
        raise ValueError(f"line {el.sourceline}: <{el.tag}> has no value")
    text = value.text.strip()
    try:
        float(text)
    except ValueError:
        raise ValueError(f"line {value.sourceline}: value {text!r} is not a number") from None
    return d.Money(text, value.get("currency") or default_currency, value.get("value-date") or "")


def activity_from(el: etree._Element, file_lang: str = "en", file_currency: str = "") -> d.Activity:
    """The fields Serai keeps, from one <iati-activity>; raises ValueError with a reason."""
    lang = el.get(XML_LANG) or file_lang
    currency = el.get("default-currency") or file_currency
    ident = (el.findtext("iati-identifier") or "").strip()
    if not ident:
        raise ValueError("no <iati-identifier>")
    rep = el.find("reporting-org")
    if rep is None or not rep.get("ref"):
        raise ValueError("no <reporting-org> with a ref")
    status = el.find("activity-status")
    a = d.Activity(
        identifier=ident,
        reporting_org=d.Org(ref=rep.get("ref", ""), type=rep.get("type", ""), names=_texts(rep, lang)),
        title=_texts(el.find("title"), lang),
        description=_texts(next((x for x in el.iterchildren("description") if x.get("type", "1") == "1"), None), lang),
        status=status.get("code", "") if status is not None else "",
        dates={
            x.get("type", ""): (x.get("iso-date") or "")[:10] for x in el.iterchildren("activity-date") if x.get("type")
        },
        default_lang=lang,
        default_currency=currency,
        last_updated=el.get("last-updated-datetime", ""),
    )
    a.participating = [
        d.Org(ref=x.get("ref", ""), type=x.get("type", ""), role=x.get("role", ""), names=_texts(x, lang))
        for x in el.iterchildren("participating-org")
    ]
    a.countries = [((x.get("code") or "").upper(), x.get("percentage")) for x in el.iterchildren("recipient-country")]
    a.regions = [
        (x.get("vocabulary", "1"), x.get("code", ""), x.get("percentage")) for x in el.iterchildren("recipient-region")
    ]
    a.sectors = [(x.get("vocabulary", "1"), x.get("code", ""), x.get("percentage")) for x in el.iterchildren("sector")]
    for b in el.iterchildren("budget"):
        start, end = b.find("period-start"), b.find("period-end")
        a.budgets.append(
            d.Budget(
                start.get("iso-date", "") if start is not None else "",
                end.get("iso-date", "") if end is not None else "",
                _money(b, currency),
                b.get("type", "1"),
                b.get("status", "1"),
            )
        )
    for t in el.iterchildren("transaction"):
        kind, date = t.find("transaction-type"), t.find("transaction-date")
        provider = t.find("provider-org")
        a.transactions.append(
            d.Transaction(
                kind.get("code", "") if kind is not None else "",
                date.get("iso-date", "") if date is not None else "",
                _money(t, currency),
                d.Org(ref=provider.get("ref", ""), type=provider.get("type", ""), names=_texts(provider, lang))
                if provider is not None
                else None,
            )
        )
    for x in a.dates.values():
        _check_date(x)
    return a


def _check_date(text: str) -> None:
    import datetime as dt

    try:
        dt.date.fromisoformat(text[:10])
    except ValueError:
        raise ValueError(f"date {text!r} is not an ISO date") from None


def _check_prolog(path: Path) -> None:
    """An empty file, or one in UCS-4, is refused before parsing (a DOCTYPE is refused by
    :func:`_refuse_doctype` from what the parser read)."""
    with open(path, "rb") as fh:
        head = fh.read(64 * 1024)
    if not head.strip(b"\x00 \t\r\n\xef\xbb\xbf"):
        raise IatiFileError(str(path), 1, "the file is empty (or holds only zero bytes)")
    if is_ucs4(head):
        raise IatiFileError(str(path), 1, UCS4_MESSAGE)


def _refuse_doctype(path: Path, el: etree._Element) -> None:
    """Refuse a document whose prolog held a DOCTYPE (billion laughs, external entities). The
    parser has read the whole prolog once it reports the first element."""
    if has_doctype(el.getroottree()):
        raise IatiFileError(str(path), None, f"{DOCTYPE_MESSAGE} in IATI files")


SAFE = dict(
    resolve_entities=False,
    no_network=True,
    load_dtd=False,
    dtd_validation=False,
    huge_tree=False,
    remove_comments=True,
    remove_pis=True,
)


class Skipped:
    """An activity that was read but left out by the filter."""


SKIPPED = Skipped()


def _root(path: Path) -> etree._Element:
    """The root element, from the first start event (reads only the beginning of the file)."""
    try:
        for _event, el in etree.iterparse(str(path), events=("start",), **SAFE):
            _refuse_doctype(path, el)
            return el
    except etree.XMLSyntaxError as exc:
        raise IatiFileError(str(path), exc.lineno, f"malformed XML: {exc.msg}") from exc
    raise IatiFileError(str(path), 1, "no XML element found")


def read(path: Path | str, *, max_bytes: int = DEFAULT_MAX_BYTES, keep=None) -> Iterator[Parsed | Rejection | Skipped]:
    """Yield each activity (parsed, rejected, or skipped by ``keep(element) -> bool``, a cheap
    filter run before the fields are read: the landscape keeps only activities in the member states)."""
    path = Path(path)
    size = os.path.getsize(path)
    if size > max_bytes:
        raise IatiFileError(str(path), None, f"{size:,} bytes is more than the limit of {max_bytes:,}")
    _check_prolog(path)
    root = _root(path)
    if root.tag != "iati-activities":
        raise IatiFileError(
            str(path),
            root.sourceline,
            f"the root element is <{root.tag}>, not <iati-activities>: not an IATI activity file",
        )
    version = root.get("version", "")
    if version not in VERSIONS:
        raise IatiFileError(
            str(path), root.sourceline, f"IATI version {version or '(none)'} is not supported (2.01–2.03)"
        )
    file_lang, file_currency = root.get(XML_LANG) or "en", root.get("default-currency", "")
    checked = False
    try:
        for _event, el in etree.iterparse(str(path), events=("end",), tag="iati-activity", **SAFE):
            if not checked:  # again on this pass: the file may have changed since _root read it
                _refuse_doctype(path, el)
                checked = True
            try:
                if keep is None or keep(el):
                    raw = etree.tostring(el)
                    yield Parsed(
                        activity_from(el, file_lang, file_currency),
                        el.sourceline or 0,
                        raw,
                        hashlib.sha256(raw).hexdigest(),
                    )
                else:
                    yield SKIPPED
            except ValueError as exc:
                yield Rejection(el.sourceline or 0, (el.findtext("iati-identifier") or "").strip(), str(exc))
            el.clear(keep_tail=False)
            parent = el.getparent()
            while el.getprevious() is not None:
                del parent[0]
    except etree.XMLSyntaxError as exc:
        raise IatiFileError(str(path), exc.lineno, f"malformed XML: {exc.msg}") from exc


def version_of(path: Path | str) -> str:
    return _root(Path(path)).get("version", "")


def recipient_codes(el: etree._Element) -> tuple[set[str], set[tuple[str, str]]]:
    """Cheap look at an activity's recipient countries and regions (for the member-state filter)."""
    countries = {(x.get("code") or "").upper() for x in el.iterchildren("recipient-country")}
    regions = {(x.get("vocabulary", "1"), x.get("code", "")) for x in el.iterchildren("recipient-region")}
    return countries, regions
