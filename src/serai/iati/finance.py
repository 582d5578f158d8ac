"""Money in IATI terms: yearly budget periods, and the classifications of a funder's money with
their defaults. Pure functions (no database), shared by the activity and organisation files.

Budgets. IATI wants each budget period to be at most one year (ruleset 7.5.3). A project holds one
total budget over its planned dates; Serai splits it by calendar year, clipped to the planned
start and end, *pro rata by days* (a year's share is its days in the project over the project's
days, rounded to the cent; the last year takes the rounding so the parts add up to the total).
Each part's value-date is its period's first day, so it lies inside the period.

Classifications. A funding source may name its flow, finance and aid type and tied status; what
it leaves blank comes from the funder's IATI organisation type (:data:`DEFAULTS`). The activity's
``default-*`` elements and ``collaboration-type`` follow its main funder (the largest amount).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")


@dataclass(frozen=True)
class Classification:
    flow_type: str  # FlowType
    finance_type: str  # FinanceType
    aid_type: str  # AidType (vocabulary 1, OECD DAC)
    tied_status: str  # TiedStatus
    collaboration_type: str  # CollaborationType


PUBLIC = Classification("10", "110", "C01", "5", "1")  # ODA grant, project-type, untied, bilateral
DEFAULTS: dict[str, Classification] = {
    # governments and other public bodies: ODA grants for project-type interventions, untied, bilateral
    "10": PUBLIC,
    "11": PUBLIC,
    "15": PUBLIC,
    "80": PUBLIC,
    # multilaterals: ODA grants, reported as multilateral outflows
    "40": Classification("10", "110", "C01", "5", "4"),
    # NGOs, foundations, public-private partnerships: private development finance
    "21": Classification("30", "110", "C01", "5", "1"),
    "22": Classification("30", "110", "C01", "5", "1"),
    "23": Classification("30", "110", "C01", "5", "1"),
    "24": Classification("30", "110", "C01", "5", "1"),
    "30": Classification("30", "110", "C01", "5", "1"),
    "60": Classification("30", "110", "C01", "5", "1"),
    # companies: private development finance, private-sector outflows
    "70": Classification("30", "110", "C01", "5", "6"),
    "71": Classification("30", "110", "C01", "5", "6"),
    "72": Classification("30", "110", "C01", "5", "6"),
    "73": Classification("30", "110", "C01", "5", "6"),
}


def default_for(org_type: str | None) -> Classification:
    """The classification of money from an organisation of this IATI type (public ODA when unknown)."""
    return DEFAULTS.get(org_type or "", PUBLIC)


def classify(source) -> Classification:
    """A funding source's own codes, with the funder type's defaults for what it leaves blank."""
    org = getattr(source, "organisation", None)
    base = default_for(getattr(org, "iati_type", "") if org else "")
    return Classification(
        source.flow_type or base.flow_type,
        source.finance_type or base.finance_type,
        source.aid_type or base.aid_type,
        source.tied_status or base.tied_status,
        base.collaboration_type,
    )


@dataclass(frozen=True)
class Slice:
    start: dt.date
    end: dt.date
    amount: Decimal


def year_periods(start: dt.date, end: dt.date) -> list[tuple[dt.date, dt.date]]:
    """Calendar-year periods from ``start`` to ``end`` (inclusive), clipped to both: each at most
    one year. A zero-length range is one one-day period."""
    if end < start:
        return []
    out = []
    for year in range(start.year, end.year + 1):
        out.append((max(start, dt.date(year, 1, 1)), min(end, dt.date(year, 12, 31))))
    return out


def split_by_year(start: dt.date, end: dt.date, total: Decimal) -> list[Slice]:
    """The total over [start, end] as calendar-year slices, pro rata by days; the slices add up to
    the total exactly (to the cent)."""
    periods = year_periods(start, end)
    if not periods:
        return []
    days = (end - start).days + 1
    total = Decimal(total).quantize(CENT, rounding=ROUND_HALF_UP)
    slices, given = [], Decimal(0)
    for i, (a, b) in enumerate(periods):
        if i == len(periods) - 1:
            part = total - given
        else:
            part = (total * ((b - a).days + 1) / days).quantize(CENT, rounding=ROUND_HALF_UP)
        given += part
        slices.append(Slice(a, b, part))
    return slices
