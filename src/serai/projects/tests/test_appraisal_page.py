"""The appraisal page (issue 14, items 1, 4 and 8): the link in "My work" and in the notification
opens a page; saving again keeps the comment and the 'complete' flag; the Secretariat and the
subcommittee see every appraiser's scores side by side with the rubric; proponents do not."""

from html.parser import HTMLParser

from serai.projects import operations
from serai.projects.models import Appraisal
from serai.projects.tests.helpers import APPRAISAL_SCORES

SNAPSHOT = {
    "kind": "untapped-potential",
    "exporter": "KZ",
    "market": "KR",
    "year": 2023,
    "level": "hs6",
    "code": "281820",
    "row": {"code": "281820", "untapped": 12345.6, "potential": 20000.0, "actual": 7654.4, "rca": 3.21},
    "ease": 0.5,
    "dataset": "baci",
    "version": "v1",
    "source": "BACI test",
    "synthetic": True,
    "unit": "thousand USD",
}


class FormValues(HTMLParser):
    """What a browser would post back from the page's appraisal form, unchanged."""

    def __init__(self, action):
        super().__init__()
        self.action, self.inside, self.values = action, False, {}
        self.select = self.textarea = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.inside = a.get("action") == self.action
        elif not self.inside:
            return
        elif tag == "input" and a.get("type") == "checkbox":
            if "checked" in a:
                self.values[a["name"]] = a.get("value", "on")
        elif tag == "input":
            self.values[a["name"]] = a.get("value", "")
        elif tag == "select":
            self.select = a["name"]
        elif tag == "option" and self.select and "selected" in a:
            self.values[self.select] = a.get("value", "")
        elif tag == "textarea":
            self.textarea = a["name"]
            self.values[self.textarea] = ""

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "select":
            self.select = None
        elif tag == "textarea":
            self.textarea = None

    def handle_data(self, data):
        if self.textarea:
            self.values[self.textarea] += data


def form_values(html, action):
    parser = FormValues(action)
    parser.feed(html)
    return parser.values


def in_appraisal(make_project, walk):
    return walk(make_project(), "appraisal")


def test_the_appraisal_link_opens_a_page_with_form_summary_evidence_and_rubric(client, roles, make_project, walk):
    project = in_appraisal(make_project, walk)
    operations.update_project(roles["secretariat"], project, {"trade_evidence": SNAPSHOT})
    client.force_login(roles["economy"])
    work = client.get("/en/my/").content.decode()
    url = f"/en/projects/{project.pk}/appraisal/"
    assert f'href="{url}"' in work  # "Proposals awaiting my appraisal"
    response = client.get(url)
    assert response.status_code == 200  # was 405: the URL accepted only POST
    page = response.content.decode()
    assert 'name="score_relevance"' in page and 'name="comment"' in page and 'name="completed"' in page
    assert "A summary." in page  # the proposal in short
    assert "12,346" in page and "281820" in page and "Synthetic data" in page  # the trade evidence snapshot
    assert "Directly serves a priority area of the current work plan" in page  # the rubric
    ru = client.get(f"/ru/projects/{project.pk}/appraisal/")
    assert ru.status_code == 200


def test_saving_again_keeps_the_comment_and_the_complete_flag(client, roles, make_project, walk):
    project = in_appraisal(make_project, walk)
    client.force_login(roles["economy"])
    url = f"/en/projects/{project.pk}/appraisal/"
    data = {f"score_{k}": "4" for k in APPRAISAL_SCORES} | {
        "comment": "Strong partners; budget thin.",
        "completed": "on",
    }
    assert client.post(url, data).status_code == 302
    page = client.get(url).content.decode()
    again = form_values(page, url)
    assert again["comment"].strip() == "Strong partners; budget thin." and again.get("completed") == "on"
    assert all(again[f"score_{k}"] == "4" for k in APPRAISAL_SCORES)
    assert client.post(url, again).status_code == 302  # the appraiser saves the page again, unchanged
    appraisal = Appraisal.objects.get(project=project)
    assert appraisal.comment == "Strong partners; budget thin." and appraisal.is_complete()
    # and so 'Recommend' stays possible
    operations.fire_transition(roles["economy"], project, "recommend")


def test_a_refused_appraisal_says_so_and_changes_nothing(client, roles, make_project, walk):
    project = in_appraisal(make_project, walk)
    client.force_login(roles["economy"])
    url = f"/en/projects/{project.pk}/appraisal/"
    response = client.post(url, {"score_relevance": "5", "completed": "on", "comment": "Half done"})
    assert response.status_code == 400
    page = response.content.decode()
    assert 'role="alert"' in page and "A completed appraisal scores every criterion." in page
    assert "Half done" in page  # what was typed is kept
    assert not Appraisal.objects.filter(project=project).exists()


def test_appraisals_side_by_side_for_the_secretariat_and_subcommittee_only(
    client, roles, make_project, walk, make_user, reference
):
    from serai.access.models import Role

    project = in_appraisal(make_project, walk)
    colleague = make_user(Role.SUBCOMMITTEE_MEMBER, reference["bodies"]["economy"], username="econ-2")
    operations.save_appraisal(roles["economy"], project, {k: 4 for k in APPRAISAL_SCORES}, "Good fit.", completed=True)
    operations.save_appraisal(colleague, project, {"relevance": 2}, "Weak link to the plan.")
    url = f"/en/projects/{project.pk}/appraisal/"
    for who in ("secretariat", "economy"):
        client.force_login(roles[who])
        page = client.get(url).content.decode()
        assert "Good fit." in page and "Weak link to the plan." in page
        assert ">econ<" in page.replace("<br>", "<") and "econ-2" in page
        assert '<td class="num">3.0</td>' in page  # the mean relevance of 4 and 2
    client.force_login(roles["secretariat"])
    detail = client.get(f"/en/projects/{project.pk}/").content.decode()
    assert "2 appraisals recorded." in detail and f'href="{url}"' in detail
    client.force_login(roles["fp_kz"])  # a proponent: sees the project, not the appraisals
    assert client.get(url).status_code == 403
    assert "Good fit." not in client.get(f"/en/projects/{project.pk}/").content.decode()
    client.force_login(roles["social"])  # another subcommittee: does not even see the project
    assert client.get(url).status_code == 404
    assert client.put(url).status_code in (403, 405)
