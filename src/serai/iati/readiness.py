"""Publishing readiness: what keeps a project out of the IATI export, checked before export
against the schema's rules and the official codelists, and shown on the project page."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from . import codelists
from . import data as d
from .export import PLACEHOLDER_PUBLISHER, publisher_id

__all__ = ["PLACEHOLDER_PUBLISHER", "Problem", "check", "blocking", "for_project", "publisher_problems"]


@dataclass(frozen=True)
class Problem:
    level: str  # "error" keeps the project out of the export; "warning" does not
    element: str
    message: str
    # The IATI ruleset rule id (e.g. "7.5.3") for a finding of the IATI Validator's rules
    # (serai.iati.rulesets). Those are shown with the rule's own severity but never block: the
    # Validator itself flags them without refusing the file; the feed is kept free of them by tests.
    rule: str = ""


def _code(problems: list[Problem], codelist: str, value: str, element: str) -> None:
    known = codelists.codes(codelist)
    if known is not None and value and value not in known:
        problems.append(
            Problem(
                "error",
                element,
                _("%(value)s is not a code of the IATI %(codelist)s codelist.")
                % {"value": value, "codelist": codelist},
            )
        )


def BLOCKED_MESSAGE() -> str:  # noqa: N802 (a message, translated when called)
    return _(
        "Publishing to IATI is blocked: the Secretariat's IATI publisher identifier is not set. Set "
        "SERAI_IATI_PUBLISHER_ID to its registered IATI organisation identifier (see the operations guide); "
        "until then the IATI files are not served."
    )


def publisher_problems() -> list[Problem]:
    out = []
    if not publisher_id():
        out.append(Problem("error", "reporting-org", BLOCKED_MESSAGE()))
    if codelists.codes("Sector") is None:
        out.append(
            Problem(
                "warning",
                "codelists",
                _(
                    "The IATI codelists are not available (SERAI_IATI_CODELISTS); "
                    "codes are checked against the schema only."
                ),
            )
        )
    from . import rulesets

    if rulesets.standard() is None:
        out.append(
            Problem(
                "warning",
                "rulesets",
                _(
                    "The IATI rulesets are not available (SERAI_IATI_RULESETS); "
                    "the IATI Validator's rules are not checked."
                ),
            )
        )
    return out


def check(a: d.Activity) -> list[Problem]:
    """Problems of one activity (as built by ``export.from_project``)."""
    p: list[Problem] = []
    if not a.title.get("en") and not a.title:
        p.append(Problem("error", "title", _("The project has no title.")))
    if not any(a.description.values()):
        p.append(Problem("warning", "description", _("The project has no description.")))
    if not a.participating:
        p.append(Problem("error", "participating-org", _("IATI needs at least one participating organisation.")))
    for org in a.participating:
        name = org.names.get((get_language() or "en").split("-")[0]) or next(iter(org.names.values()), "?")
        if not org.ref:
            p.append(
                Problem(
                    "warning", "participating-org", _("%(org)s has no IATI organisation identifier.") % {"org": name}
                )
            )
        if not org.type:
            p.append(
                Problem("warning", "participating-org", _("%(org)s has no IATI organisation type.") % {"org": name})
            )
        _code(p, "OrganisationType", org.type, "participating-org/@type")
        _code(p, "OrganisationRole", org.role, "participating-org/@role")
    if not a.dates:
        p.append(Problem("error", "activity-date", _("IATI needs at least one date (planned or actual start or end).")))
    if not a.countries and not a.regions:
        p.append(Problem("error", "recipient-country", _("No recipient country: add a Central Asian member state.")))
    for code, _pct in a.countries:
        _code(p, "Country", code, "recipient-country/@code")
    if not a.sectors:
        p.append(Problem("error", "sector", _("No sector: add a cooperation field with its DAC purpose code.")))
    for vocabulary, code, _pct in a.sectors:
        if vocabulary == "1":
            _code(p, "Sector", code, "sector/@code")
        else:
            p.append(
                Problem(
                    "warning",
                    "sector",
                    _(
                        "Field %(code)s has no DAC purpose code; it is published in the "
                        "reporting organisation's own vocabulary."
                    )
                    % {"code": code},
                )
            )
    _code(p, "ActivityStatus", a.status, "activity-status/@code")
    for codelist, value, element in (
        ("CollaborationType", a.collaboration_type, "collaboration-type/@code"),
        ("FlowType", a.default_flow_type, "default-flow-type/@code"),
        ("FinanceType", a.default_finance_type, "default-finance-type/@code"),
        ("AidType", a.default_aid_type, "default-aid-type/@code"),
        ("TiedStatus", a.default_tied_status, "default-tied-status/@code"),
    ):
        _code(p, codelist, value, element)
    for b in a.budgets:
        if not b.amount.currency and not a.default_currency:
            p.append(Problem("error", "budget", _("The budget has no currency.")))
        _code(p, "Currency", b.amount.currency, "budget/value/@currency")
    for t in a.transactions:
        if not t.amount.currency and not a.default_currency:
            p.append(Problem("error", "transaction", _("A funding source has no currency.")))
        _code(p, "Currency", t.amount.currency, "transaction/value/@currency")
        _code(p, "TransactionType", t.type, "transaction/transaction-type/@code")
        for codelist, value in (
            ("FlowType", t.flow_type),
            ("FinanceType", t.finance_type),
            ("AidType", t.aid_type),
            ("TiedStatus", t.tied_status),
        ):
            _code(p, codelist, value, f"transaction/{codelist}")
    return p


def blocking(problems: list[Problem]) -> bool:
    return any(x.level == "error" and not x.rule for x in problems)


def _rule_element(f) -> str:
    """Where a finding is: the context below <iati-activity>, else the rule's first XPath."""
    context = f.context.split("/iati-activity/", 1)[1] if "/iati-activity/" in f.context else ""
    return context or (f.xpaths[0] if f.xpaths else f.context)


def ruleset_problems(a: d.Activity) -> list[Problem]:
    """The findings of the official IATI ruleset (the Validator's rules beyond the schema) on the
    activity as it would be exported; [] when the rulesets are not available (said once, by
    :func:`publisher_problems`)."""
    from . import export, rulesets

    findings = rulesets.check_activity(export.activity_element(a))
    out = []
    for f in findings or ():
        message = _("IATI rule %(id)s: %(message)s") % {"id": f.rule_id or f.rule, "message": f.message}
        if f.detail:
            message = f"{message} ({f.detail})"
        out.append(Problem("error" if f.is_error else "warning", _rule_element(f), message, rule=f.rule_id or f.rule))
    return out


def for_project(project) -> dict:
    """Problems and the identifier of one project, loaded with the export's prefetches."""
    from . import export, queries

    full = queries.with_export_data(type(project).objects.filter(pk=project.pk)).get()
    activity = export.from_project(full)
    problems = check(activity) + ruleset_problems(activity)
    if project.is_demo:
        problems.append(Problem("error", "iati-activity", _("Demo content is never published to IATI.")))
    problems = publisher_problems()[:1] + problems if not publisher_id() else problems
    return {
        "identifier": activity.identifier,
        "problems": problems,
        "ready": not blocking(problems),
        "public": project.is_public,
    }
