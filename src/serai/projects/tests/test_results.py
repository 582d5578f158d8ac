import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from serai.core.i18n import TranslatedText
from serai.projects import operations, queries
from serai.projects.models import Aggregation, UpdateStatus


@pytest.mark.parametrize(
    "rule,values,expected",
    [
        (Aggregation.SUM, [Decimal(10), Decimal(15), Decimal(5)], Decimal(30)),
        (Aggregation.LAST, [Decimal(10), Decimal(15), Decimal(5)], Decimal(5)),
        (Aggregation.AVERAGE, [Decimal(10), Decimal(15), Decimal(5)], Decimal(10)),
        (Aggregation.MAX, [Decimal(10), Decimal(15), Decimal(5)], Decimal(15)),
        (Aggregation.SUM, [], None),
    ],
)
def test_aggregation_rules(rule, values, expected):
    assert queries.aggregate(rule, values) == expected


@pytest.fixture
def framework(make_project, roles):
    project = make_project()
    result = operations.add_result(roles["fp_kz"], project, "outcome", TranslatedText({"en": "Water saved"}))
    indicator = operations.add_indicator(
        roles["fp_kz"],
        result,
        {
            "title": TranslatedText({"en": "Water saved"}),
            "unit": "m3",
            "baseline": Decimal(100),
            "target": Decimal(300),
            "aggregation": Aggregation.LAST,
        },
    )
    periods = [
        operations.add_period(roles["fp_kz"], project, dt.date(2026, m, 1), dt.date(2026, m + 2, 28)) for m in (1, 4, 7)
    ]
    return project, indicator, periods


@pytest.mark.django_db
def test_progress_is_computed_on_read_from_approved_updates_only(framework, roles):
    project, indicator, periods = framework
    first = operations.save_update(roles["fp_kz"], indicator, periods[0], Decimal(150))
    second = operations.save_update(roles["fp_kz"], indicator, periods[1], Decimal(220))
    third = operations.save_update(roles["fp_kz"], indicator, periods[2], Decimal(290))  # stays a draft
    for update in (first, second):
        operations.review_update(roles["fp_kz"], update, "submit")
        operations.review_update(roles["secretariat"], update, "approve")
    [(result, [row])] = queries.results(project)
    assert row.actual == Decimal(220)  # last approved value, the draft is ignored
    assert row.percent == Decimal("60.0")  # (220 - 100) / (300 - 100)
    assert third.status == UpdateStatus.DRAFT


@pytest.mark.django_db
def test_review_flow_and_its_rules(framework, roles):
    project, indicator, periods = framework
    update = operations.save_update(roles["fp_kz"], indicator, periods[0], Decimal(120), "First quarter")
    with pytest.raises(ValidationError):
        operations.review_update(roles["secretariat"], update, "approve")  # not submitted yet
    update = operations.review_update(roles["fp_kz"], update, "submit")
    with pytest.raises(ValidationError):
        operations.save_update(roles["fp_kz"], indicator, periods[0], Decimal(130))  # locked while submitted
    with pytest.raises(PermissionDenied):
        operations.review_update(roles["fp_kz"], update, "approve")  # only the Secretariat reviews
    with pytest.raises(ValidationError):
        operations.review_update(roles["secretariat"], update, "return")  # a return needs a comment
    update = operations.review_update(roles["secretariat"], update, "return", "Attach the meter readings.")
    assert update.status == UpdateStatus.RETURNED and update.review_comment == "Attach the meter readings."
    update = operations.save_update(roles["fp_kz"], indicator, periods[0], Decimal(125))
    update = operations.review_update(roles["fp_kz"], update, "submit")
    update = operations.review_update(roles["secretariat"], update, "approve")
    assert update.status == UpdateStatus.APPROVED and update.value == Decimal(125)


@pytest.mark.django_db
def test_period_must_belong_to_the_project_and_end_after_start(framework, make_project, roles):
    project, indicator, periods = framework
    other = make_project()
    foreign = operations.add_period(roles["fp_kz"], other, dt.date(2026, 1, 1), dt.date(2026, 2, 1))
    with pytest.raises(ValidationError):
        operations.save_update(roles["fp_kz"], indicator, foreign, Decimal(1))
    with pytest.raises(ValidationError):
        operations.add_period(roles["fp_kz"], project, dt.date(2026, 5, 1), dt.date(2026, 4, 1))
