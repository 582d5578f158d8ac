"""An evaluator of the IATI ruleset format: the rules the IATI Validator applies beyond the XSD.

The ruleset (``standard.json`` of IATI/IATI-Rulesets, branch version-2.03) and its specification
(``SPEC.rst``) are read from ``SERAI_IATI_RULESETS`` (default: the shared data folder's
``iati/rulesets``); they are never copied into this repository. A ruleset maps a context XPath to
rule names, each with a list of cases; every rule type of SPEC.rst is implemented here:

no_more_than_one, atleast_one, only_one_of, one_or_all, dependent, sum, strict_sum, date_order,
date_now, time_limit, between_dates, regex_matches, regex_no_matches, startswith, unique, if_then,
loop, range, no_spaces (and no_percent, of the older Python edition). Snake-case and camel-case
names are both accepted, as the JS validator does.

Semantics follow the IATI Validator (js-validator-api) and the official meta-tests, with three
deliberate choices, all stricter or equal:

* XPath results are tested with XPath's own boolean() (a node-set is true when it is not empty);
* ``date_order`` compares every date ``less`` matches with every date ``more`` matches (the
  validator reads only the first of each), so a future date in the second transaction counts too;
* "now" is the current instant in UTC; a date without a time is its day's midnight in UTC, so a
  date that is already "today" in Seoul but still tomorrow in UTC is in the future.

Each failing case gives a :class:`Finding` with the rule id, type, severity and message of its
``ruleInfo``, the context XPath and the case's own XPaths, the identifier of the activity or
organisation it is about, and the line of the element.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path
from typing import Any

from lxml import etree

from serai.core.safexml import parse_file

XML_NS = {"xml": "http://www.w3.org/XML/1998/namespace"}

# camelCase (JS edition) → snake_case (the names used here)
ALIASES = {
    "noMoreThanOne": "no_more_than_one",
    "atLeastOne": "atleast_one",
    "onlyOneOf": "only_one_of",
    "oneOrAll": "one_or_all",
    "dateOrder": "date_order",
    "dateNow": "date_now",
    "timeLimit": "time_limit",
    "betweenDates": "between_dates",
    "regexMatches": "regex_matches",
    "regexNoMatches": "regex_no_matches",
    "startsWith": "startswith",
    "ifThen": "if_then",
    "strictSum": "strict_sum",
    "noSpaces": "no_spaces",
    "noPercent": "no_percent",
}
# The case keys that hold XPaths (for the finding's context).
XPATH_KEYS = (
    "condition",
    "paths",
    "less",
    "more",
    "date",
    "start",
    "end",
    "one",
    "if",
    "then",
    "excluded",
    "prefix",
    "foreach",
)
MAX_DAYS = 365  # time_limit: "not greater than a year", as the validator counts it


class RulesetError(ValueError):
    """The ruleset is missing, unreadable or names an unknown rule."""


@dataclass(frozen=True)
class Finding:
    rule: str  # the rule type, e.g. "time_limit"
    rule_id: str  # ruleInfo.id, e.g. "7.5.3" ("" in rulesets without ruleInfo, like the meta-tests)
    severity: str  # ruleInfo.severity: "error" or "warning" ("error" when not given)
    message: str  # ruleInfo.message (English, as published by IATI)
    context: str  # the context XPath the rule was applied to
    xpaths: tuple[str, ...]  # the case's XPaths
    identifier: str  # iati-identifier or organisation-identifier of the enclosing activity/organisation
    line: int | None  # the line of the context element
    detail: str = ""  # the values that failed, when there are any

    @property
    def is_error(self) -> bool:
        return self.severity == "error"


# --- loading ----------------------------------------------------------------------------------------
def folder() -> Path:
    from django.conf import settings

    configured = getattr(settings, "SERAI_IATI_RULESETS", None)
    return Path(configured) if configured else Path(settings.SERAI_SHARED_DATA) / "iati" / "rulesets"


@lru_cache(maxsize=8)
def _load(path: str) -> dict:
    try:
        with open(path, encoding="utf-8") as fh:
            return json.load(fh)
    except (OSError, ValueError) as exc:
        raise RulesetError(f"{path}: {exc}") from exc


def load(path: str | Path) -> dict:
    return _load(str(path))


def standard() -> dict | None:
    """The official 2.03 standard ruleset, or None when it is not available."""
    path = folder() / "standard.json"
    if not path.exists():
        return None
    return load(path)


@lru_cache(maxsize=1)
def org_id_prefixes() -> frozenset[str]:
    """``idSets['ORG-ID-PREFIX']``: the codes of the OrganisationRegistrationAgency codelist."""
    from . import codelists

    return codelists.codes("OrganisationRegistrationAgency") or frozenset()


# --- XPath and values -----------------------------------------------------------------------------
@lru_cache(maxsize=4096)
def _xpath(expr: str) -> etree.XPath:
    try:
        return etree.XPath(expr, namespaces=XML_NS, smart_strings=False)
    except etree.XPathSyntaxError as exc:
        raise RulesetError(f"invalid XPath {expr!r}: {exc}") from exc


def select(expr: str, node: etree._Element) -> Any:
    return _xpath(expr)(node)


def nodes(expr: str, node: etree._Element) -> list:
    result = select(expr, node)
    if isinstance(result, list):
        return result
    if result is False or result == "" or (isinstance(result, float) and math.isnan(result)):
        return []
    return [result]


def truth(result: Any) -> bool:
    """XPath 1.0 boolean()."""
    if isinstance(result, float):
        return not math.isnan(result) and result != 0
    return bool(result)


def text(item: Any) -> str:
    """The text of an element (all its text, as DOM textContent) or of an attribute/text node."""
    if isinstance(item, etree._Element):
        return "".join(item.itertext())
    return str(item)


def number(value: str) -> Decimal | None:
    try:
        d = Decimal(value.strip())
    except (InvalidOperation, AttributeError):
        return None
    return d if d.is_finite() else None


_DATE = re.compile(
    r"^\s*(-?\d{4,})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?\s*(Z|[+-]\d{2}:?\d{2})?)?\s*$"
)


def parse_instant(value: str) -> dt.datetime | None:
    """An xs:date or xs:dateTime as an aware UTC datetime (no zone: UTC), or None if it is not one."""
    m = _DATE.match(value or "")
    if not m:
        return None
    year, month, day, hour, minute, second, zone = m.groups()
    try:
        tz = dt.UTC
        if zone and zone != "Z":
            sign = -1 if zone[0] == "-" else 1
            digits = zone[1:].replace(":", "")
            tz = dt.timezone(sign * dt.timedelta(hours=int(digits[:2]), minutes=int(digits[2:])))
        moment = dt.datetime(
            int(year), int(month), int(day), int(hour or 0), int(minute or 0), int(second or 0), tzinfo=tz
        )
    except ValueError:
        return None
    return moment.astimezone(dt.UTC)


# --- the rules ------------------------------------------------------------------------------------
class _Case:
    """One case of one rule applied to one context element."""

    def __init__(self, element: etree._Element, case: dict, now: dt.datetime, id_sets: dict):
        self.element = element
        self.case = case
        self.now = now
        self.id_sets = id_sets
        self.detail = ""
        if "paths" in case:
            self.nested = [nodes(p, element) for p in case["paths"]]
            self.matches = [m for group in self.nested for m in group]
            self.texts = [text(m) for m in self.matches]
        else:
            self.nested, self.matches, self.texts = [], [], []

    def _fail(self, values: Iterable[str]) -> bool:
        shown = [v for v in values][:5]
        self.detail = ", ".join(repr(v) for v in shown)
        return False

    def dates(self, key: str) -> list[dt.datetime] | None:
        expr = self.case[key]
        if expr in ("NOW", "TODAY"):
            return [self.now]
        out = [parse_instant(text(m)) for m in nodes(expr, self.element)]
        out = [d for d in out if d is not None]
        return out or None

    # presence
    def no_more_than_one(self) -> bool | None:
        return len(self.matches) <= 1 or self._fail(self.texts)

    def atleast_one(self) -> bool | None:
        return len(self.matches) >= 1

    def dependent(self) -> bool | None:
        present = [bool(group) for group in self.nested]
        return all(present) or not any(present)

    def only_one_of(self) -> bool | None:
        for excluded in self.case["excluded"]:
            if nodes(excluded, self.element):
                if self.matches:
                    return False
            elif len(self.matches) != 1:
                return False
        return True

    def one_or_all(self) -> bool | None:
        if nodes(self.case["one"], self.element):
            return True
        kind = self.case["all"]
        if kind == "lang":
            missing = [n for n in select("descendant::narrative", self.element) if not select("@xml:lang", n)]
        elif kind == "sector":
            missing = [t for t in select("transaction", self.element) if not select("sector", t)]
        elif kind == "recipient-country|recipient-region":
            missing = [
                t for t in select("transaction", self.element) if not select("recipient-country|recipient-region", t)
            ]
        elif kind == "currency":
            missing = [
                v
                for v in select("descendant::value|descendant::forecast|descendant::loan-status", self.element)
                if "currency" not in v.attrib
            ]
        else:
            return True
        if missing:
            return self._fail(f"<{m.tag}> line {m.sourceline}" for m in missing)
        return True

    def unique(self) -> bool | None:
        seen, dups = set(), []
        for t in self.texts:
            if t in seen:
                dups.append(t)
            seen.add(t)
        return not dups or self._fail(dups)

    # numbers
    def _sum(self) -> bool:
        values = [number(t) for t in self.texts]
        if any(v is None for v in values):
            return self._fail(t for t, v in zip(self.texts, values) if v is None)
        total = sum(values, Decimal(0))
        expected = Decimal(str(self.case["sum"]))
        if total != expected:
            self.detail = f"the sum is {total.normalize():f}"
            return False
        return True

    def sum(self) -> bool | None:
        return True if not self.matches else self._sum()

    def strict_sum(self) -> bool | None:
        return self._sum()

    def range(self) -> bool | None:
        bad = []
        for t in self.texts:
            v = number(t)
            low = Decimal(str(self.case["min"])) if "min" in self.case else v
            high = Decimal(str(self.case["max"])) if "max" in self.case else v
            if v is None or not (low <= v <= high):
                bad.append(t)
        return not bad or self._fail(bad)

    # dates
    def date_order(self) -> bool | None:
        less, more = self.dates("less"), self.dates("more")
        if less is None or more is None:
            return None
        if max(less) <= min(more):
            return True
        self.detail = f"{max(less).date().isoformat()} is after {min(more).date().isoformat()}"
        return False

    def date_now(self) -> bool | None:
        dates = self.dates("date")
        if dates is None:
            return None
        return max(dates) <= self.now or self._fail([max(dates).isoformat()])

    def time_limit(self) -> bool | None:
        start, end = self.dates("start"), self.dates("end")
        if start is None or end is None:
            return None
        days = (end[0] - start[0]).days
        if days <= MAX_DAYS:
            return True
        self.detail = f"{start[0].date().isoformat()} to {end[0].date().isoformat()}: {days} days"
        return False

    def between_dates(self) -> bool | None:
        date, start, end = self.dates("date"), self.dates("start"), self.dates("end")
        if date is None or start is None or end is None:
            return None
        outside = [d for d in date if not (start[0] <= d <= end[0])]
        return not outside or self._fail(d.date().isoformat() for d in outside)

    # text
    def _regex(self, should_match: bool) -> bool:
        pattern = _regex(self.case["regex"])
        bad = [t for t in self.texts if t != "" and bool(pattern.search(t)) != should_match]
        return not bad or self._fail(bad)

    def regex_matches(self) -> bool | None:
        return self._regex(True)

    def regex_no_matches(self) -> bool | None:
        return self._regex(False)

    def no_spaces(self) -> bool | None:
        bad = [t for t in self.texts if t != t.strip()]
        return not bad or self._fail(bad)

    def no_percent(self) -> bool | None:
        bad = [t for t in self.texts if "%" in t]
        return not bad or self._fail(bad)

    def startswith(self) -> bool | None:
        prefix = self.case.get("prefix", self.case.get("start"))
        if isinstance(prefix, str):
            prefix = [prefix]
        if prefix == ["ORG-ID-PREFIX"]:
            known = self.id_sets.get("ORG-ID-PREFIX")
            if known is None:
                return None
            bad = [t for t in self.texts if "-".join(t.split("-")[:2]) not in known]
            return not bad or self._fail(bad)
        starts = [text(m) for p in prefix for m in nodes(p, self.element)]
        separator = self.case.get("separator", "")
        bad = [t for t in self.texts if not any(t.startswith(s + separator) for s in starts)]
        return not bad or self._fail(bad)

    def if_then(self) -> bool | None:
        if truth(select(self.case["if"], self.element)) and not truth(select(self.case["then"], self.element)):
            return self._fail(self.texts) if self.texts else False
        return True

    # conditions
    def id_condition(self) -> bool:
        """``idCondition``: whether the case applies, given the registry's identifiers in ``id_sets``."""
        kind = self.case.get("idCondition")
        org_ids = self.id_sets.get("ORG-ID", frozenset())
        if kind == "NOT_EXISTING_ORG_ID":
            return all(t not in org_ids for t in self.texts)
        if kind == "NOT_EXISTING_ORG_ID_PREFIX":
            return all(not any(t.startswith(o + "-") for o in org_ids) for t in self.texts)
        return True


@lru_cache(maxsize=256)
def _regex(pattern: str) -> re.Pattern:
    # The rulesets' regular expressions are JavaScript ones; those in use are also valid in Python.
    return re.compile(pattern)


RULES = {
    "no_more_than_one",
    "atleast_one",
    "only_one_of",
    "one_or_all",
    "dependent",
    "sum",
    "strict_sum",
    "date_order",
    "date_now",
    "time_limit",
    "between_dates",
    "regex_matches",
    "regex_no_matches",
    "startswith",
    "unique",
    "if_then",
    "loop",
    "range",
    "no_spaces",
    "no_percent",
}


def rule_name(name: str) -> str:
    name = ALIASES.get(name, name)
    if name not in RULES:
        raise RulesetError(f"unknown rule {name!r}")
    return name


# --- running a ruleset ------------------------------------------------------------------------------
def _identifier(element: etree._Element) -> str:
    if element.tag not in ("iati-activity", "iati-organisation"):
        element = next(
            (el for el in element.iterancestors() if el.tag in ("iati-activity", "iati-organisation")), element
        )
    if element.tag == "iati-activity":
        return (element.findtext("iati-identifier") or "").strip()
    if element.tag == "iati-organisation":
        return (element.findtext("organisation-identifier") or "").strip()
    return ""


def _xpaths(case: dict) -> tuple[str, ...]:
    out: list[str] = []
    for key in XPATH_KEYS:
        value = case.get(key)
        if isinstance(value, str):
            out.append(value)
        elif isinstance(value, list):
            out.extend(v for v in value if isinstance(v, str))
    return tuple(out)


def _substitute(case: dict, subs: list[str], value: str) -> dict:
    out = dict(case)
    for key in subs:
        v = case.get(key)
        if isinstance(v, str):
            out[key] = v.replace("$1", value)
        elif isinstance(v, list):
            out[key] = [vi.replace("$1", value) for vi in v]
    return out


def _run(context, element, rule, case, now, id_sets) -> tuple[bool | None, str]:
    if "condition" in case and not truth(select(case["condition"], element)):
        return None, ""
    c = _Case(element, case, now, id_sets)
    if "idCondition" in case and not c.id_condition():
        return None, ""
    return getattr(c, rule)(), c.detail


def _finding(context, element, rule, case, detail) -> Finding:
    info = case.get("ruleInfo") or {}
    return Finding(
        rule=rule,
        rule_id=str(info.get("id", "")),
        severity=info.get("severity", "error"),
        message=info.get("message", ""),
        context=context,
        xpaths=_xpaths(case),
        identifier=_identifier(element),
        line=element.sourceline,
        detail=detail,
    )


def _check_case(context, element, rule, case, now, id_sets, substituted=False) -> Iterator[Finding]:
    if rule == "loop":
        values = list(dict.fromkeys(text(v) for v in nodes(case["foreach"], element)))
        for sub_rule, sub in case["do"].items():
            sub_rule = rule_name(sub_rule)
            for sub_case in sub["cases"]:
                for value in values:
                    concrete = _substitute(sub_case, case.get("subs", []), value)
                    yield from _check_case(context, element, sub_rule, concrete, now, id_sets, substituted=True)
        return
    try:
        result, detail = _run(context, element, rule, case, now, id_sets)
    except (etree.XPathEvalError, RulesetError) as exc:
        if isinstance(exc, RulesetError) and not substituted:
            raise  # the ruleset itself is broken
        # a value from the file made the XPath invalid (e.g. a quote in a loop value): report it, never crash
        result, detail = False, f"the rule could not be evaluated: {exc}"
    if result is False:
        yield _finding(context, element, rule, case, detail)


def check(
    ruleset: dict,
    tree: etree._ElementTree | etree._Element,
    *,
    now: dt.datetime | None = None,
    id_sets: dict | None = None,
) -> Iterator[Finding]:
    """Every failing case of ``ruleset`` on ``tree`` (a whole document), in ruleset order."""
    now = now or dt.datetime.now(dt.UTC)
    if id_sets is None:
        id_sets = {"ORG-ID-PREFIX": org_id_prefixes() or None, "ORG-ID": frozenset()}
    root = tree.getroot() if isinstance(tree, etree._ElementTree) else tree
    doc = root.getroottree()
    for context, rules in ruleset.items():
        elements = select(context, doc)
        if not isinstance(elements, list):
            continue
        for element in elements:
            if not isinstance(element, etree._Element):
                continue
            for name, spec in rules.items():
                rule = rule_name(name)
                for case in spec.get("cases", []):
                    yield from _check_case(context, element, rule, case, now, id_sets)


def passes(ruleset: dict, tree, **kwargs) -> bool:
    """Whether no case fails (the meta-tests' True/False)."""
    return next(check(ruleset, tree, **kwargs), None) is None


def check_file(path: str | Path, ruleset: dict | None = None, **kwargs) -> list[Finding]:
    """The findings of one IATI file, parsed with the hardened parser."""
    ruleset = ruleset if ruleset is not None else standard()
    if ruleset is None:
        raise RulesetError(f"the IATI rulesets are not available ({folder()})")
    return list(check(ruleset, parse_file(path), **kwargs))


def check_activity(activity_element: etree._Element, ruleset: dict | None = None, **kwargs) -> list[Finding] | None:
    """The findings of one <iati-activity> (e.g. from ``export.activity_element``), or None when the
    rulesets are not available. The element is checked inside its own <iati-activities> root."""
    ruleset = ruleset if ruleset is not None else standard()
    if ruleset is None:
        return None
    root = etree.Element("iati-activities", version="2.03")
    root.append(activity_element)
    return list(check(ruleset, root, **kwargs))


def count_by_rule(findings: Iterable[Finding]) -> dict[tuple[str, str, str], int]:
    """(severity, rule id, rule type) → number of findings, most frequent first."""
    counts: dict[tuple[str, str, str], int] = {}
    for f in findings:
        key = (f.severity, f.rule_id, f.rule)
        counts[key] = counts.get(key, 0) + 1
    return dict(sorted(counts.items(), key=lambda kv: (kv[0][0] != "error", -kv[1], kv[0][1])))


__all__ = ["Finding", "RulesetError", "check", "check_activity", "check_file", "count_by_rule", "passes", "standard"]
