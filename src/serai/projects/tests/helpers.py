"""Helpers shared by the project tests: a results framework, and approved reports for it."""

import datetime as dt
from decimal import Decimal

from serai.core.i18n import TranslatedText
from serai.projects import operations
from serai.projects.models import Aggregation, Indicator

APPRAISAL_SCORES = ("relevance", "feasibility", "multilateral_value", "helix", "sustainability", "evidence")


def add_indicator(actor, project, target=Decimal(100)):
    result = operations.add_result(actor, project, "output", TranslatedText({"en": "Trained"}))
    return operations.add_indicator(
        actor,
        result,
        {
            "title": TranslatedText({"en": "People trained"}),
            "unit": "people",
            "baseline": Decimal(0),
            "target": target,
            "aggregation": Aggregation.SUM,
        },
    )


def approve_all(actor, project, value=Decimal(10)):
    """One approved update per indicator, for a first reporting period."""
    period = operations.add_period(actor, project, dt.date(2026, 1, 1), dt.date(2026, 6, 30))
    for indicator in Indicator.objects.filter(result__project=project):
        update = operations.save_update(actor, indicator, period, value)
        operations.review_update(actor, update, "submit")
        operations.review_update(actor, update, "approve")


def complete_appraisal(actor, project, score=4):
    return operations.save_appraisal(actor, project, {k: score for k in APPRAISAL_SCORES}, completed=True)


def form_data(html: str, action: str | None = None) -> dict:
    """What a browser posts back from a page's form — the first one posting to ``action``, or to
    the page itself when ``action`` is None — when nothing is changed: a dict of lists, for
    ``client.post``."""
    from html.parser import HTMLParser

    class Parser(HTMLParser):
        def __init__(self):
            super().__init__()
            self.inside = self.done = False
            self.data: dict[str, list[str]] = {}
            self.select = self.textarea = None
            self.first_option = None

        def add(self, name, value):
            self.data.setdefault(name, []).append(value)

        def handle_starttag(self, tag, attrs):
            a = dict(attrs)
            if tag == "form" and not self.done:
                self.inside = (a.get("action") or "") == (action or "")
            if not self.inside or "name" not in a and tag in ("input", "select", "textarea"):
                return
            if tag == "input" and a.get("type") in ("checkbox", "radio"):
                if "checked" in a:
                    self.add(a["name"], a.get("value", "on"))
            elif tag == "input" and a.get("type") not in ("submit", "button", "file"):
                self.add(a["name"], a.get("value") or "")
            elif tag == "select":
                self.select, self.first_option = a["name"], None
            elif tag == "option" and self.select:
                if self.first_option is None:
                    self.first_option = a.get("value", "")
                if "selected" in a:
                    self.add(self.select, a.get("value", ""))
            elif tag == "textarea":
                self.textarea = a["name"]
                self.add(self.textarea, "")

        def handle_endtag(self, tag):
            if tag == "form" and self.inside:
                self.inside, self.done = False, True
            elif tag == "select" and self.select:
                self.select = None
            elif tag == "textarea":
                self.textarea = None

        def handle_data(self, data):
            if self.textarea and self.inside:
                self.data[self.textarea][-1] += data

    parser = Parser()
    parser.feed(html)
    return parser.data
