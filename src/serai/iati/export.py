"""IATI 2.03 export: one small function per element (in the manner of Akvo RSR's
``iati/exports/elements/``), a streaming writer, and the mapping from a Serai project.

Every language we hold becomes its own ``<narrative xml:lang>``.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Iterable, Iterator

from django.conf import settings
from django.utils import timezone
from lxml import etree

from . import data as d

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
STATUS = {  # Serai status → IATI ActivityStatus
    "idea": "1", "submitted": "1", "screening": "1", "appraisal": "1", "recommended": "1", "returned": "1",
    "endorsed": "1", "implementation": "2", "completed": "3", "evaluated": "4", "declined": "5", "withdrawn": "5",
    "suspended": "6",
}
RESULT_TYPE = {"output": "1", "outcome": "2", "impact": "3"}


# --- elements ------------------------------------------------------------------------------------
def _sub(parent: etree._Element, tag: str, **attrs: str | None) -> etree._Element:
    el = etree.SubElement(parent, tag)
    for key, value in attrs.items():
        if value not in (None, ""):
            el.set(key.replace("_", "-"), str(value))
    return el


def narratives(parent: etree._Element, texts: d.Texts, default_lang: str) -> None:
    for lang, text in texts.items():
        if not text:
            continue
        n = _sub(parent, "narrative")
        if lang != default_lang:
            n.set(XML_LANG, lang)
        n.text = text


def iati_identifier(el, a: d.Activity):
    _sub(el, "iati-identifier").text = a.identifier


def reporting_org(el, a: d.Activity):
    narratives(_sub(el, "reporting-org", ref=a.reporting_org.ref, type=a.reporting_org.type), a.reporting_org.names, a.default_lang)


def title(el, a: d.Activity):
    narratives(_sub(el, "title"), a.title, a.default_lang)


def description(el, a: d.Activity):
    if any(a.description.values()):
        narratives(_sub(el, "description", type="1"), a.description, a.default_lang)


def participating_org(el, a: d.Activity):
    for org in a.participating:
        narratives(_sub(el, "participating-org", ref=org.ref, type=org.type, role=org.role), org.names, a.default_lang)


def activity_status(el, a: d.Activity):
    _sub(el, "activity-status", code=a.status)


def activity_date(el, a: d.Activity):
    for kind, iso in sorted(a.dates.items()):
        _sub(el, "activity-date", type=kind, iso_date=iso)


def recipient_country(el, a: d.Activity):
    for code, pct in a.countries:
        _sub(el, "recipient-country", code=code, percentage=pct)


def recipient_region(el, a: d.Activity):
    for vocabulary, code, pct in a.regions:
        _sub(el, "recipient-region", code=code, vocabulary=vocabulary, percentage=pct)


def sector(el, a: d.Activity):
    for vocabulary, code, pct in a.sectors:
        node = _sub(el, "sector", vocabulary=vocabulary, code=code, percentage=pct)
        if vocabulary in ("98", "99"):  # IATI rule 2.2.1: a reporting organisation's own code carries its name
            narratives(node, a.sector_names.get(code) or {a.default_lang: code}, a.default_lang)


def _value(parent, money: d.Money):
    v = _sub(parent, "value", currency=money.currency, value_date=money.value_date)
    v.text = money.value


def budget(el, a: d.Activity):
    for b in a.budgets:
        node = _sub(el, "budget", type=b.type, status=b.status)
        _sub(node, "period-start", iso_date=b.start)
        _sub(node, "period-end", iso_date=b.end)
        _value(node, b.amount)


def transaction(el, a: d.Activity):
    for t in a.transactions:
        node = _sub(el, "transaction")
        _sub(node, "transaction-type", code=t.type)
        _sub(node, "transaction-date", iso_date=t.date)
        _value(node, t.amount)
        if t.provider:
            narratives(_sub(node, "provider-org", ref=t.provider.ref, type=t.provider.type), t.provider.names, a.default_lang)


def result(el, a: d.Activity):
    for r in a.results:
        node = _sub(el, "result", type=r.type, aggregation_status="0")
        narratives(_sub(node, "title"), r.title, a.default_lang)
        for ind in r.indicators:
            i = _sub(node, "indicator", measure=ind.measure, ascending="1" if ind.ascending else "0")
            narratives(_sub(i, "title"), ind.title, a.default_lang)
            if ind.baseline_year is not None:
                _sub(i, "baseline", year=str(ind.baseline_year), value=ind.baseline_value)
            for p in ind.periods:
                period = _sub(i, "period")
                _sub(period, "period-start", iso_date=p.start)
                _sub(period, "period-end", iso_date=p.end)
                if p.target is not None:
                    _sub(period, "target", value=p.target)
                if p.actual is not None:
                    _sub(period, "actual", value=p.actual)


# The schema's order of the elements of <iati-activity> that Serai writes.
ELEMENTS = [iati_identifier, reporting_org, title, description, participating_org, activity_status, activity_date,
            recipient_country, recipient_region, sector, budget, transaction, result]


def activity_element(a: d.Activity) -> etree._Element:
    el = etree.Element("iati-activity")
    if a.last_updated:
        el.set("last-updated-datetime", a.last_updated)
    el.set(XML_LANG, a.default_lang)
    if a.default_currency:
        el.set("default-currency", a.default_currency)
    for fn in ELEMENTS:
        fn(el, a)
    return el


class _Chunks:
    def __init__(self):
        self.parts: list[bytes] = []
        self.size = 0

    def write(self, data: bytes) -> None:
        self.parts.append(bytes(data))
        self.size += len(data)

    def take(self) -> bytes:
        out, self.parts, self.size = b"".join(self.parts), [], 0
        return out


def stream_activities(activities: Iterable[d.Activity], chunk: int = 64 * 1024) -> Iterator[bytes]:
    """The whole <iati-activities> document, yielded in chunks as activities are built."""
    buf = _Chunks()
    with etree.xmlfile(buf, encoding="utf-8") as xf:
        xf.write_declaration()
        with xf.element("iati-activities", {"version": "2.03", "generated-datetime": _now()}):
            for a in activities:
                xf.write(activity_element(a), pretty_print=True)
                if buf.size >= chunk:
                    xf.flush()
                    yield buf.take()
    yield buf.take()


def stream_organisations(orgs: Iterable[d.Org], reporting: d.Org, chunk: int = 64 * 1024) -> Iterator[bytes]:
    buf = _Chunks()
    stamp = _now()
    with etree.xmlfile(buf, encoding="utf-8") as xf:
        xf.write_declaration()
        with xf.element("iati-organisations", {"version": "2.03", "generated-datetime": stamp}):
            for org in orgs:
                el = etree.Element("iati-organisation", {"last-updated-datetime": stamp, XML_LANG: "en"})
                _sub(el, "organisation-identifier").text = org.ref
                narratives(_sub(el, "name"), org.names, "en")
                narratives(_sub(el, "reporting-org", ref=reporting.ref, type=reporting.type), reporting.names, "en")
                xf.write(el, pretty_print=True)
                if buf.size >= chunk:
                    xf.flush()
                    yield buf.take()
    yield buf.take()


def _now() -> str:
    return timezone.now().replace(microsecond=0).isoformat()


# --- from a Serai project ----------------------------------------------------------------------
def publisher() -> d.Org:
    return d.Org(ref=settings.SERAI_IATI_PUBLISHER_REF, type=settings.SERAI_IATI_PUBLISHER_TYPE,
                 names=dict(settings.SERAI_IATI_PUBLISHER_NAME))


def identifier(project) -> str:
    return f"{settings.SERAI_IATI_PUBLISHER_REF}-{project.code}"


def _texts(translated) -> d.Texts:
    return {lang: text for lang, text in (getattr(translated, "values", None) or {}).items() if text}


def _split(n: int) -> list[str]:
    """Equal percentages with two decimals that add up to exactly 100."""
    if n == 0:
        return []
    share = (Decimal(100) / n).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    parts = [share] * (n - 1)
    return [str(p) for p in parts] + [str(Decimal(100) - sum(parts, Decimal(0)))]


def _num(value: Decimal | None) -> str | None:
    return None if value is None else format(value.normalize(), "f")


def from_project(project) -> d.Activity:
    """Expects the project loaded with :func:`serai.iati.queries.exportable` prefetches."""
    from serai.projects.queries import aggregate

    recipients = [c for c in project.countries.all() if not c.is_anchor]
    dates = {}
    for kind, value in (("1", project.planned_start), ("2", project.actual_start), ("3", project.planned_end), ("4", project.actual_end)):
        if value:
            dates[kind] = value.isoformat()
    sectors, sector_names = [], {}
    for s in project.sectors.all():
        if s.dac_sector_id:
            sectors.append(("1", s.dac_sector.code, _num(s.percentage)))
        else:
            sectors.append(("99", s.field.code, _num(s.percentage)))
            sector_names[s.field.code] = _texts(s.field.name)
    budgets = []
    if project.budget_amount is not None and project.planned_start and project.planned_end:
        value_date = (project.usd_rate_date or project.planned_start).isoformat()
        budgets.append(d.Budget(project.planned_start.isoformat(), project.planned_end.isoformat(),
                                d.Money(_num(project.budget_amount), project.budget_currency, value_date)))
    transactions = []
    for f in project.funding_sources.all():
        if f.amount is not None and project.planned_start:
            org = f.organisation
            provider = d.Org(ref=org.iati_identifier, type=org.iati_type, names=_texts(org.name)) if org else d.Org(names={"en": f.name})
            transactions.append(d.Transaction("11", project.planned_start.isoformat(),
                                              d.Money(_num(f.amount), f.currency or project.budget_currency,
                                                      project.planned_start.isoformat()), provider))
    periods = sorted(project.periods.all(), key=lambda p: p.start)
    results = []
    for r in project.results.all():
        indicators = []
        for ind in r.indicators.all():
            approved = [u for u in ind.updates.all() if u.status == "approved"]
            ps = []
            for p in periods:
                values = [u.value for u in approved if u.period_id == p.pk]
                actual = aggregate(ind.aggregation, values)
                ps.append(d.Period(p.start.isoformat(), p.end.isoformat(), _num(ind.target), _num(actual)))
            baseline_year = (periods[0].start.year if periods else (project.planned_start.year if project.planned_start else None))
            indicators.append(d.Indicator(_texts(ind.title), baseline_year=baseline_year,
                                          baseline_value=_num(ind.baseline) if baseline_year else None, periods=ps))
        results.append(d.Result(RESULT_TYPE.get(r.kind, "1"), _texts(r.title), indicators))
    description = _texts(project.description) or _texts(project.summary)
    return d.Activity(
        identifier=identifier(project), reporting_org=publisher(), title=_texts(project.title),
        description=description, status=STATUS.get(project.status, "1"), dates=dates,
        participating=[d.Org(ref=p.organisation.iati_identifier, type=p.organisation.iati_type, role=p.role,
                             names=_texts(p.organisation.name)) for p in project.participations.all()],
        countries=[(c.iso2, pct) for c, pct in zip(recipients, _split(len(recipients)))] if len(recipients) > 1
        else [(c.iso2, None) for c in recipients],
        sectors=sectors, sector_names=sector_names, budgets=budgets, transactions=transactions, results=results,
        default_lang=getattr(project.title, "source", None) or "en",
        default_currency=project.budget_currency or "",
        last_updated=project.updated_at.replace(microsecond=0).isoformat() if project.updated_at else "",
    )


def organisation(org) -> d.Org:
    return d.Org(ref=org.iati_identifier, type=org.iati_type, names=_texts(org.name))


__all__ = ["stream_activities", "stream_organisations", "from_project", "activity_element"]


def from_landscape(obj) -> d.Activity:
    """A landscape activity back as IATI (the fields Serai keeps), e.g. to re-publish or to compare."""
    lang = obj.title.get("source") or "en"
    return d.Activity(
        identifier=obj.identifier,
        reporting_org=d.Org(ref=obj.reporting_org_ref, type=obj.reporting_org_type,
                            names={lang: obj.reporting_org_name} if obj.reporting_org_name else {}),
        title=dict(obj.title.get("values", {})), description=dict(obj.description.get("values", {})),
        status=obj.status, dates=dict(obj.dates),
        participating=[d.Org(ref=o["ref"], type=o["type"], role=o["role"], names=o["names"]) for o in obj.participating_orgs],
        countries=[(c["code"], c["percentage"]) for c in obj.countries],
        regions=[(r["vocabulary"], r["code"], r["percentage"]) for r in obj.regions],
        sectors=[(s["vocabulary"], s["code"], s["percentage"]) for s in obj.sectors],
        budgets=[d.Budget(b["start"], b["end"], d.Money(b["value"], b["currency"], b["value_date"]), b["type"], b["status"])
                 for b in obj.budgets],
        transactions=[d.Transaction(t["type"], t["date"], d.Money(t["value"], t["currency"], t["value_date"]),
                                    d.Org(ref=t["provider"]["ref"], type=t["provider"]["type"], names=t["provider"]["names"])
                                    if t.get("provider") else None) for t in obj.transactions],
        default_lang=lang, default_currency=obj.default_currency,
    )
