"""Messages say what happened, and errors look like errors (issue 14, item 6)."""

import re

from serai.projects.tests.helpers import APPRAISAL_SCORES


def messages_of(page):
    return re.findall(r'<p class="message ([a-z ]+)" role="(alert|status)">(.*?)</p>', page, re.S)


def test_a_refused_move_is_an_alert_and_a_move_says_what_happened(client, roles, make_project):
    project = make_project(complete=False)  # no summary, no sector: it cannot be submitted
    client.force_login(roles["fp_kz"])
    page = client.post(f"/en/projects/{project.pk}/transition/", {"name": "submit"}, follow=True).content.decode()
    [(level, role, text)] = messages_of(page)
    assert (level, role) == ("error", "alert") and "Error:" in text

    ready = make_project()
    page = client.post(f"/en/projects/{ready.pk}/transition/", {"name": "submit"}, follow=True).content.decode()
    [(level, role, text)] = messages_of(page)
    assert (level, role) == ("success", "status")
    assert "The project was submitted for screening by the Secretariat." in text


def test_results_page_messages_name_the_act(client, roles, make_project):
    project = make_project()
    client.force_login(roles["fp_kz"])
    url = f"/en/projects/{project.pk}/results/"
    page = client.post(
        url, {"action": "period", "p-start": "2026-01-01", "p-end": "2026-06-30"}, follow=True
    ).content.decode()
    assert [m[2].split("</span> ")[-1] for m in messages_of(page)] == ["The reporting period was added."]


def test_an_appraisal_saved_as_a_draft_says_so(client, roles, make_project, walk):
    project = walk(make_project(), "appraisal")
    client.force_login(roles["economy"])
    url = f"/en/projects/{project.pk}/appraisal/"
    page = client.post(url, {"score_relevance": "3"}, follow=True).content.decode()
    assert "Your appraisal was saved as a draft." in page
    data = {f"score_{k}": "3" for k in APPRAISAL_SCORES} | {"completed": "on"}
    assert "Your appraisal was saved and marked complete." in client.post(url, data, follow=True).content.decode()
