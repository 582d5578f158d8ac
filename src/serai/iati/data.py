"""One neutral shape for an IATI activity, shared by the exporter (Serai projects → IATI) and
the importer (IATI → landscape). It holds only what Serai uses — not the whole standard."""

from __future__ import annotations

from dataclasses import dataclass, field

Texts = dict[str, str]  # language → text


@dataclass
class Org:
    ref: str = ""
    type: str = ""
    role: str = ""
    names: Texts = field(default_factory=dict)


@dataclass
class Money:
    value: str  # decimal text, as in the XML
    currency: str = ""
    value_date: str = ""


@dataclass
class Budget:
    start: str
    end: str
    amount: Money
    type: str = "1"
    status: str = "1"


@dataclass
class Transaction:
    type: str
    date: str
    amount: Money
    provider: Org | None = None
    # set only where the transaction differs from the activity's defaults
    flow_type: str = ""
    finance_type: str = ""
    aid_type: str = ""
    tied_status: str = ""


@dataclass
class Period:
    start: str
    end: str
    target: str | None = None
    actual: str | None = None


@dataclass
class Indicator:
    title: Texts
    measure: str = "1"
    ascending: bool = True
    baseline_year: int | None = None
    baseline_value: str | None = None
    periods: list[Period] = field(default_factory=list)


@dataclass
class Result:
    type: str  # 1 output, 2 outcome, 3 impact
    title: Texts
    indicators: list[Indicator] = field(default_factory=list)


@dataclass
class Activity:
    identifier: str
    reporting_org: Org
    title: Texts
    status: str
    dates: dict[str, str]  # ActivityDateType code → ISO date
    description: Texts = field(default_factory=dict)
    participating: list[Org] = field(default_factory=list)
    countries: list[tuple[str, str | None]] = field(default_factory=list)  # (code, percentage)
    regions: list[tuple[str, str, str | None]] = field(default_factory=list)  # (vocabulary, code, percentage)
    sectors: list[tuple[str, str, str | None]] = field(default_factory=list)  # (vocabulary, code, percentage)
    budgets: list[Budget] = field(default_factory=list)
    transactions: list[Transaction] = field(default_factory=list)
    results: list[Result] = field(default_factory=list)
    # names of the codes in the reporting organisation's own sector vocabulary (99): code → texts
    sector_names: dict[str, Texts] = field(default_factory=dict)
    default_lang: str = "en"
    default_currency: str = ""
    last_updated: str = ""
    collaboration_type: str = ""
    default_flow_type: str = ""
    default_finance_type: str = ""
    default_aid_type: str = ""
    default_tied_status: str = ""


@dataclass
class DocumentLink:
    url: str
    title: Texts
    category: str  # DocumentCategory
    format: str = "text/html"
    languages: list[str] = field(default_factory=list)
    date: str = ""


@dataclass
class OrgBudget:
    start: str
    end: str
    amount: Money
    status: str = "2"  # BudgetStatus: 1 indicative, 2 committed


@dataclass
class Organisation:
    """An <iati-organisation> record."""

    identifier: str
    names: Texts
    reporting_org: Org
    default_lang: str = "en"
    default_currency: str = ""
    last_updated: str = ""
    total_budgets: list[OrgBudget] = field(default_factory=list)
    documents: list[DocumentLink] = field(default_factory=list)
