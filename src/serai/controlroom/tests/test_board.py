"""The pipeline board: cards by workflow step with their age, next act and who owes it; a move
fires the real transition and is refused (nothing changed, a clear message) when the rule says so;
focal points see their countries' projects only; the board's queries do not grow with the cards."""

import datetime as dt

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from serai.core.models import AuditEntry
from serai.core.testing import cold
from serai.projects.models import Project, ProjectTransition

BOARD = "/en/control/"


def move_url(project):
    return f"/en/control/projects/{project.pk}/move/"


def said(response) -> str:
    return " ".join(str(m) for m in get_messages(response.wsgi_request))


def status_of(project) -> str:
    return Project.objects.values_list("status", flat=True).get(pk=project.pk)


@pytest.fixture
def sec_client(client, roles):
    client.force_login(roles["secretariat"])
    return client


def test_the_board_shows_cards_in_their_columns_with_next_act_and_owner(sec_client, make_project, walk, reference):
    idea = make_project()
    appraisal = walk(make_project(), "appraisal")
    recommended = walk(make_project(), "recommended")
    response = sec_client.get(BOARD)
    assert response.status_code == 200
    columns = {c.status: c for c in response.context["columns"]}
    assert [c.project.pk for c in columns["idea"].cards] == [idea.pk]
    assert [c.project.pk for c in columns["appraisal"].cards] == [appraisal.pk]
    card = columns["appraisal"].cards[0]
    assert [str(a.label) for a in card.next_acts] == ["Recommend for endorsement"]
    assert card.next_acts[0].owed_by == f"the {reference['bodies']['economy'].name}"
    endorse = columns["recommended"].cards[0].next_acts[0]
    assert str(endorse.label) == "Record endorsement by the Forum"
    assert endorse.owed_by.startswith("the Forum at its next session")
    assert columns["submitted"].cards == [] and columns["submitted"].count == 0  # empty columns are shown too
    body = response.content.decode()
    assert f'id="card-{recommended.pk}"' in body and 'data-target="endorsed"' in body
    assert "controlroom/board.js" in body and "<script>" not in body  # local, no inline script


def test_age_in_step_counts_from_the_last_transition(sec_client, make_project, walk):
    project = walk(make_project(), "submitted")
    ProjectTransition.objects.filter(project=project).update(at=timezone.now() - dt.timedelta(days=5, hours=1))
    response = sec_client.get(BOARD)
    card = next(c for col in response.context["columns"] for c in col.cards if c.project.pk == project.pk)
    assert card.days == 5
    assert "5 days in this step" in response.content.decode()


def test_moving_a_card_fires_the_workflow(sec_client, make_project, walk):
    project = walk(make_project(), "submitted")
    response = sec_client.post(move_url(project), {"name": "screen", "reason": "", "next": BOARD + "?country=KZ"})
    assert response.status_code == 302 and response.url == BOARD + "?country=KZ"
    assert status_of(project) == "screening"
    row = ProjectTransition.objects.filter(project=project).latest("at")
    assert (row.name, row.from_status, row.to_status) == ("screen", "submitted", "screening")
    assert AuditEntry.objects.filter(action="project.transition.screen", object_id=str(project.pk)).exists()
    assert "is now" in said(response)


def test_dropping_a_card_on_a_column_fires_the_transition_to_it(sec_client, make_project, walk):
    project = walk(make_project(), "screening")
    response = sec_client.post(move_url(project), {"target": "returned", "reason": "Budget unclear"})
    assert response.status_code == 302
    assert status_of(project) == "returned"
    assert ProjectTransition.objects.filter(project=project, name="return", reason="Budget unclear").exists()


@pytest.mark.parametrize(
    ("who", "post", "message"),
    [
        ("fp_kz", {"name": "screen"}, "You may not do this."),  # the Secretariat screens
        ("secretariat", {"name": "decline"}, "A reason is required."),
        ("secretariat", {"target": "endorsed"}, "cannot be moved to"),  # no move from submitted to endorsed
        ("secretariat", {"name": "start"}, "cannot be moved with"),  # not from its status
    ],
)
def test_a_move_the_rules_refuse_changes_nothing_and_says_why(client, roles, make_project, walk, who, post, message):
    project = walk(make_project(), "submitted")
    before = (ProjectTransition.objects.count(), AuditEntry.objects.count())
    client.force_login(roles[who])
    response = client.post(move_url(project), post)
    assert response.status_code == 302
    assert status_of(project) == "submitted"
    assert (ProjectTransition.objects.count(), AuditEntry.objects.count()) == before
    assert message in said(response)


def test_a_guard_refuses_the_move_with_its_reason(sec_client, make_project, walk):
    project = walk(make_project(), "screening")  # no participating organisation yet
    response = sec_client.post(move_url(project), {"name": "send_to_appraisal"})
    assert status_of(project) == "screening"
    assert "At least one participating organisation is needed." in said(response)


@pytest.mark.parametrize(
    "post",
    [{}, {"name": "fly"}, {"target": "nowhere"}, {"name": "screen", "meeting": "①"}],
)
def test_a_bad_move_is_a_400_naming_the_problem(sec_client, make_project, walk, post):
    project = walk(make_project(), "submitted")
    response = sec_client.post(move_url(project), post)
    assert response.status_code == 400
    assert status_of(project) == "submitted"


@pytest.mark.parametrize("query", ["country=XX", "field=no-such-field", "subcommittee=forum", "country=%00"])
def test_a_bad_filter_is_a_400(sec_client, query):
    response = sec_client.get(f"{BOARD}?{query}")
    assert response.status_code == 400
    assert query.split("=")[0] in response.content.decode()


def test_filters_by_country_field_and_subcommittee(sec_client, make_project, reference, roles):
    kz = make_project(countries=("KR", "KZ"))
    uz = make_project(actor=roles["fp_uz"], countries=("KR", "UZ"), subcommittee=reference["bodies"]["social-culture"])

    def shown(query):
        response = sec_client.get(f"{BOARD}?{query}")
        assert response.status_code == 200
        return {c.project.pk for col in response.context["columns"] for c in col.cards}

    assert shown("country=KZ") == {kz.pk}
    assert shown("subcommittee=social-culture") == {uz.pk}
    assert shown("field=energy") == {kz.pk, uz.pk}
    assert shown("field=energy&country=UZ") == {uz.pk}


def test_focal_points_see_their_countries_projects_only(client, roles, make_project):
    kz = make_project(countries=("KR", "KZ"))
    uz = make_project(actor=roles["fp_uz"], countries=("KR", "UZ"))
    Project.objects.filter(pk=uz.pk).update(status="endorsed")  # public, but not KZ's
    client.force_login(roles["fp_kz"])
    response = client.get(BOARD)
    shown = {c.project.pk for col in response.context["columns"] for c in col.cards}
    assert shown == {kz.pk}
    # nor can they move another country's project
    assert client.post(move_url(uz), {"name": "start"}).status_code == 404
    assert status_of(uz) == "endorsed"


@pytest.mark.parametrize("who", ["nobody", "economy", "editor"])
def test_the_control_room_is_for_the_secretariat_and_focal_points(client, roles, who):
    client.force_login(roles[who])
    assert client.get(BOARD).status_code == 403
    assert client.get("/en/control/actions/").status_code == 403


def test_the_board_signs_in_first(client):
    response = client.get(BOARD)
    assert response.status_code == 302 and reverse("login") in response.url


def test_the_board_runs_a_constant_number_of_queries(sec_client, make_project, walk, roles):
    def count():
        sec_client.get(BOARD)  # warm-up: a session's first request writes what later ones only read
        cold()  # then a cold render: nothing kept between requests counts
        with CaptureQueriesContext(connection) as ctx:
            response = sec_client.get(BOARD)
        assert response.status_code == 200
        return len(ctx), {c.project.pk for col in response.context["columns"] for c in col.cards}

    walk(make_project(), "submitted")
    make_project(countries=("KR", "UZ"), actor=roles["fp_uz"])
    few, shown = count()
    added = [make_project(), walk(make_project(), "screening"), walk(make_project(), "appraisal")]
    added.append(make_project(actor=roles["editor"], countries=("KR", "KZ", "UZ")))
    many, shown_after = count()
    assert many == few
    assert {p.pk for p in added} <= shown_after and len(shown_after) == len(shown) + 4
