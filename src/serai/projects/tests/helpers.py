"""Helpers shared by the project tests: a results framework, and approved reports for it."""

import datetime as dt
from decimal import Decimal

from serai.core.i18n import TranslatedText
from serai.projects import operations
from serai.projects.models import Aggregation, Indicator

APPRAISAL_SCORES = ("relevance", "feasibility", "multilateral_value", "helix", "sustainability", "evidence")


def add_indicator(actor, project, target=Decimal(100)):
    result = operations.add_result(actor, project, "output", TranslatedText({"en": "Trained"}))
    return operations.add_indicator(actor, result, {
        "title": TranslatedText({"en": "People trained"}), "unit": "people", "baseline": Decimal(0),
        "target": target, "aggregation": Aggregation.SUM})


def approve_all(actor, project, value=Decimal(10)):
    """One approved update per indicator, for a first reporting period."""
    period = operations.add_period(actor, project, dt.date(2026, 1, 1), dt.date(2026, 6, 30))
    for indicator in Indicator.objects.filter(result__project=project):
        update = operations.save_update(actor, indicator, period, value)
        operations.review_update(actor, update, "submit")
        operations.review_update(actor, update, "approve")


def complete_appraisal(actor, project, score=4):
    return operations.save_appraisal(actor, project, {k: score for k in APPRAISAL_SCORES}, completed=True)
