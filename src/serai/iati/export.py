"""IATI 2.03 export: one small function per element (in the manner of Akvo RSR's
``iati/exports/elements/``), a streaming writer, and the mapping from a Serai project.

Every language we hold becomes its own ``<narrative xml:lang>``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.utils import timezone
from lxml import etree

from . import data as d
from . import finance

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
STATUS = {  # Serai status → IATI ActivityStatus
    "idea": "1",
    "submitted": "1",
    "screening": "1",
    "appraisal": "1",
    "recommended": "1",
    "returned": "1",
    "endorsed": "1",
    "implementation": "2",
    "completed": "3",
    "evaluated": "4",
    "declined": "5",
    "withdrawn": "5",
    "suspended": "6",
}
RESULT_TYPE = {"output": "1", "outcome": "2", "impact": "3"}
PLACEHOLDER_PUBLISHER = "XI-IATI-EXAMPLE"  # the old default; treated as not set


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
    narratives(
        _sub(el, "reporting-org", ref=a.reporting_org.ref, type=a.reporting_org.type),
        a.reporting_org.names,
        a.default_lang,
    )


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


def collaboration_type(el, a: d.Activity):
    if a.collaboration_type:
        _sub(el, "collaboration-type", code=a.collaboration_type)


def default_types(el, a: d.Activity):
    if a.default_flow_type:
        _sub(el, "default-flow-type", code=a.default_flow_type)
    if a.default_finance_type:
        _sub(el, "default-finance-type", code=a.default_finance_type)
    if a.default_aid_type:
        _sub(el, "default-aid-type", code=a.default_aid_type, vocabulary="1")
    if a.default_tied_status:
        _sub(el, "default-tied-status", code=a.default_tied_status)


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
            narratives(
                _sub(node, "provider-org", ref=t.provider.ref, type=t.provider.type), t.provider.names, a.default_lang
            )
        if t.flow_type:
            _sub(node, "flow-type", code=t.flow_type)
        if t.finance_type:
            _sub(node, "finance-type", code=t.finance_type)
        if t.aid_type:
            _sub(node, "aid-type", code=t.aid_type, vocabulary="1")
        if t.tied_status:
            _sub(node, "tied-status", code=t.tied_status)


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
ELEMENTS = [
    iati_identifier,
    reporting_org,
    title,
    description,
    participating_org,
    activity_status,
    activity_date,
    recipient_country,
    recipient_region,
    sector,
    collaboration_type,
    default_types,
    budget,
    transaction,
    result,
]


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


def organisation_element(o: d.Organisation) -> etree._Element:
    """One <iati-organisation>, its children in the schema's order."""
    attrs = {"last-updated-datetime": o.last_updated or _now(), XML_LANG: o.default_lang}
    if o.default_currency:
        attrs["default-currency"] = o.default_currency
    el = etree.Element("iati-organisation", attrs)
    _sub(el, "organisation-identifier").text = o.identifier
    narratives(_sub(el, "name"), o.names, o.default_lang)
    narratives(
        _sub(el, "reporting-org", ref=o.reporting_org.ref, type=o.reporting_org.type),
        o.reporting_org.names,
        o.default_lang,
    )
    for b in o.total_budgets:
        node = _sub(el, "total-budget", status=b.status)
        _sub(node, "period-start", iso_date=b.start)
        _sub(node, "period-end", iso_date=b.end)
        _value(node, b.amount)
    for doc in o.documents:
        node = _sub(el, "document-link", format=doc.format, url=doc.url)
        narratives(_sub(node, "title"), doc.title, o.default_lang)
        _sub(node, "category", code=doc.category)
        for lang in doc.languages:
            _sub(node, "language", code=lang)
        if doc.date:
            _sub(node, "document-date", iso_date=doc.date)
    return el


def stream_organisations(orgs: Iterable[d.Organisation], chunk: int = 64 * 1024) -> Iterator[bytes]:
    """The whole <iati-organisations> document: the reporting organisation first, then the others."""
    buf = _Chunks()
    with etree.xmlfile(buf, encoding="utf-8") as xf:
        xf.write_declaration()
        with xf.element("iati-organisations", {"version": "2.03", "generated-datetime": _now()}):
            for org in orgs:
                xf.write(organisation_element(org), pretty_print=True)
                if buf.size >= chunk:
                    xf.flush()
                    yield buf.take()
    yield buf.take()


def _now() -> str:
    return timezone.now().replace(microsecond=0).isoformat()


# --- from a Serai project ----------------------------------------------------------------------
def publisher_id() -> str:
    """The Secretariat's IATI organisation identifier (``SERAI_IATI_PUBLISHER_ID``), or "" when not set."""
    ref = (getattr(settings, "SERAI_IATI_PUBLISHER_ID", "") or "").strip()
    return "" if ref == PLACEHOLDER_PUBLISHER else ref


def publisher() -> d.Org:
    return d.Org(
        ref=publisher_id(), type=settings.SERAI_IATI_PUBLISHER_TYPE, names=dict(settings.SERAI_IATI_PUBLISHER_NAME)
    )


def today_utc() -> dt.date:
    """Today in UTC: the IATI Validator's "now". Seoul's today is still tomorrow in UTC before 09:00."""
    return timezone.now().astimezone(dt.UTC).date()


def new_identifier(project) -> str:
    """The identifier a project gets at its first publication: ``<publisher id>-<project code>``."""
    return f"{publisher_id() or PLACEHOLDER_PUBLISHER}-{project.code}"


def identifier(project) -> str:
    """The identifier recorded at first publication (kept when the publisher id changes), else the new one."""
    publication = getattr(project, "iati_publication", None)
    return publication.identifier if publication is not None else new_identifier(project)


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


def _dates(project, today: dt.date) -> dict[str, str]:
    """Planned dates as held; actual dates only when they are not in the future (in UTC)."""
    dates = {}
    for kind, value, actual in (
        ("1", project.planned_start, False),
        ("2", project.actual_start, True),
        ("3", project.planned_end, False),
        ("4", project.actual_end, True),
    ):
        if value and not (actual and value > today):
            dates[kind] = value.isoformat()
    if "4" in dates and "2" not in dates:
        del dates["4"]  # an end without a start cannot be told
    return dates


def _budgets(project) -> list[d.Budget]:
    """The total budget by calendar year over the planned dates (:func:`finance.split_by_year`): the
    budget at first publication as *original* (type 1); a different current one also as *revised*."""
    start, end = project.planned_start, project.planned_end
    if project.budget_amount is None or not start or not end or end < start:
        return []
    current = (project.budget_amount, project.budget_currency)
    publication = getattr(project, "iati_publication", None)
    original = current
    if publication is not None and publication.budget_amount is not None:
        original = (publication.budget_amount, publication.budget_currency or project.budget_currency)
    out = []
    for kind, (amount, currency) in (("1", original), ("2", current)):
        if kind == "2" and current == original:
            break
        for part in finance.split_by_year(start, end, amount):
            out.append(
                d.Budget(
                    part.start.isoformat(),
                    part.end.isoformat(),
                    d.Money(_num(part.amount), currency, part.start.isoformat()),
                    type=kind,
                    status="1",
                )
            )
    return out


def _provider(f) -> d.Org:
    org = f.organisation
    if org is None:
        return d.Org(names={"en": f.name})
    return d.Org(ref=org.iati_identifier, type=org.iati_type, names=_texts(org.name) or {"en": f.name})


def _funding(project, today: dt.date) -> tuple[finance.Classification, list[d.Transaction]]:
    """The activity's default classification (its main funder's) and the funding sources as
    transactions: the amount committed (11, incoming commitment) and what was disbursed to the
    activity so far (1, incoming funds), never dated in the future."""
    sources = list(project.funding_sources.all())
    main = max(sources, key=lambda f: f.amount or 0) if sources else None
    if main is not None:
        default = finance.classify(main)
    else:
        funders = [p.organisation for p in project.participations.all() if p.role == "1"]
        default = finance.default_for(funders[0].iati_type if funders else "")
    fallback = min(
        x for x in (project.planned_start, project.created_at.date() if project.created_at else None, today) if x
    )
    transactions = []
    for f in sources:
        currency = f.currency or project.budget_currency
        c = finance.classify(f)
        extra = {
            key: getattr(c, key) if getattr(c, key) != getattr(default, key) else ""
            for key in ("flow_type", "finance_type", "aid_type", "tied_status")
        }
        if f.amount is not None:
            day = min(f.committed_on or fallback, today).isoformat()
            transactions.append(d.Transaction("11", day, d.Money(_num(f.amount), currency, day), _provider(f), **extra))
        if f.disbursed:
            day = min(f.disbursed_on or fallback, today).isoformat()
            transactions.append(
                d.Transaction("1", day, d.Money(_num(f.disbursed), currency, day), _provider(f), **extra)
            )
    return default, transactions


def from_project(project) -> d.Activity:
    """Expects the project loaded with :func:`serai.iati.queries.exportable` prefetches."""
    from serai.projects.queries import aggregate

    today = today_utc()
    recipients = [c for c in project.countries.all() if not c.is_anchor]
    sectors, sector_names = [], {}
    for s in project.sectors.all():
        if s.dac_sector_id:
            sectors.append(("1", s.dac_sector.code, _num(s.percentage)))
        else:
            sectors.append(("99", s.field.code, _num(s.percentage)))
            sector_names[s.field.code] = _texts(s.field.name)
    default, transactions = _funding(project, today)
    periods = sorted(project.periods.all(), key=lambda p: p.start)
    results = []
    for r in project.results.all():
        indicators = []
        for ind in r.indicators.all():
            approved = [u for u in ind.updates.all() if u.status == "approved"]
            ps = []
            for p in periods:
                values = [u.value for u in approved if u.period_id == p.pk]
                # no actual for a period that has not begun (whatever was entered for it)
                actual = aggregate(ind.aggregation, values) if p.start <= today else None
                ps.append(d.Period(p.start.isoformat(), p.end.isoformat(), _num(ind.target), _num(actual)))
            baseline_year = (
                periods[0].start.year if periods else (project.planned_start.year if project.planned_start else None)
            )
            indicators.append(
                d.Indicator(
                    _texts(ind.title),
                    baseline_year=baseline_year,
                    baseline_value=_num(ind.baseline) if baseline_year else None,
                    periods=ps,
                )
            )
        results.append(d.Result(RESULT_TYPE.get(r.kind, "1"), _texts(r.title), indicators))
    description = _texts(project.description) or _texts(project.summary)
    return d.Activity(
        identifier=identifier(project),
        reporting_org=publisher(),
        title=_texts(project.title),
        description=description,
        status=STATUS.get(project.status, "1"),
        dates=_dates(project, today),
        participating=[
            d.Org(
                ref=p.organisation.iati_identifier,
                type=p.organisation.iati_type,
                role=p.role,
                names=_texts(p.organisation.name),
            )
            for p in project.participations.all()
        ],
        countries=[(c.iso2, pct) for c, pct in zip(recipients, _split(len(recipients)))]
        if len(recipients) > 1
        else [(c.iso2, None) for c in recipients],
        sectors=sectors,
        sector_names=sector_names,
        budgets=_budgets(project),
        transactions=transactions,
        results=results,
        default_lang=getattr(project.title, "source", None) or "en",
        default_currency=project.budget_currency or "",
        last_updated=_last_updated(project.updated_at),
        collaboration_type=default.collaboration_type,
        default_flow_type=default.flow_type,
        default_finance_type=default.finance_type,
        default_aid_type=default.aid_type,
        default_tied_status=default.tied_status,
    )


def _last_updated(when) -> str:
    if not when:
        return ""
    return min(when, timezone.now()).astimezone(dt.UTC).replace(microsecond=0).isoformat()


def organisation(org) -> d.Org:
    return d.Org(ref=org.iati_identifier, type=org.iati_type, names=_texts(org.name))


def _plan_total(plan) -> tuple[Decimal, str] | None:
    """A work plan's budget: the sum of its activities' budgets, in their currency when they share
    one, else in USD at ``SERAI_FX_USD`` (amounts in a currency without a rate are left out)."""
    by_currency: dict[str, Decimal] = {}
    for area in plan.areas.all():
        for act in area.activities.all():
            if act.budget is not None:
                by_currency[act.currency or "USD"] = by_currency.get(act.currency or "USD", Decimal(0)) + act.budget
    if not by_currency:
        return None
    if len(by_currency) == 1:
        return next(iter(by_currency.values())), next(iter(by_currency))
    rates = {k.upper(): Decimal(str(v)) for k, v in settings.SERAI_FX_USD.items()}
    usd = sum((amount * rates[cur] for cur, amount in by_currency.items() if cur == "USD" or cur in rates), Decimal(0))
    return usd.quantize(Decimal("0.01")), "USD"


def secretariat(plans: Iterable, own=None) -> d.Organisation:
    """The Secretariat as reporting organisation: its names in every language held (the settings'
    and its registry entry's), a total budget per adopted work plan year and the work plans as
    documents. ``own`` is its Organisation row, when the registry holds one."""
    rep = publisher()
    names = {**rep.names, **(_texts(own.name) if own is not None else {})}
    rep = d.Org(ref=rep.ref, type=rep.type, names=names)
    base = settings.SERAI_BASE_URL.rstrip("/")
    budgets, documents = [], []
    for plan in sorted(plans, key=lambda p: p.year):
        total = _plan_total(plan)
        start, end = dt.date(plan.year, 1, 1), dt.date(plan.year, 12, 31)
        if total is not None:
            day = plan.adopted_on if plan.adopted_on and start <= plan.adopted_on <= end else start
            budgets.append(
                d.OrgBudget(
                    start.isoformat(), end.isoformat(), d.Money(_num(total[0]), total[1], day.isoformat()), status="2"
                )
            )
        title = _texts(plan.title) or {"en": f"Secretariat work plan {plan.year}"}
        documents.append(
            d.DocumentLink(
                url=f"{base}/en/workplan/{plan.year}/",
                title=title,
                category="B02",
                languages=["en"],
                date=plan.adopted_on.isoformat() if plan.adopted_on else "",
            )
        )
    documents.append(
        d.DocumentLink(
            url=f"{base}/en/",
            title={"en": "Korea–Central Asia Cooperation Forum Secretariat"},
            category="B16",
            languages=["en"],
        )
    )
    currency = budgets[0].amount.currency if budgets else "USD"
    return d.Organisation(
        identifier=rep.ref,
        names=names,
        reporting_org=rep,
        default_currency=currency,
        total_budgets=budgets,
        documents=documents,
    )


def organisation_record(org, reporting: d.Org) -> d.Organisation:
    """Another organisation with an IATI identifier, as the Secretariat reports it (its names)."""
    return d.Organisation(
        identifier=org.iati_identifier,
        names=_texts(org.name),
        reporting_org=reporting,
        last_updated=_last_updated(org.updated_at),
    )


__all__ = ["stream_activities", "stream_organisations", "from_project", "activity_element"]
