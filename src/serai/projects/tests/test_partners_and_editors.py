"""Partner editors report their projects' results; proponents name editors; buttons only for those
who may use them (issue 14, item 7)."""

import datetime as dt
import re

from serai.core.models import AuditEntry
from serai.projects import operations
from serai.projects.models import IndicatorUpdate


def test_a_participating_organisations_editor_reports_results(client, roles, make_project, walk):
    project = walk(make_project(), "implementation")  # the partner institute participates
    indicator = project.results.get().indicators.get()
    client.force_login(roles["editor"])
    detail = client.get(f"/en/projects/{project.pk}/").content.decode()
    url = f"/en/projects/{project.pk}/results/"
    assert f'href="{url}"' in detail and "Report progress" in detail
    assert f'href="/en/projects/{project.pk}/edit/"' not in detail  # they report; they do not edit the project
    page = client.get(url)
    assert page.status_code == 200  # was 403
    assert 'name="action" value="result"' not in page.content.decode()  # the framework is the editors'
    assert client.post(url, {"action": "period", "p-start": "2026-01-01", "p-end": "2026-06-30"}).status_code == 403
    period = operations.add_period(roles["secretariat"], project, dt.date(2026, 1, 1), dt.date(2026, 6, 30))
    assert (
        client.post(
            url,
            {
                "action": "update",
                "u-indicator": indicator.pk,
                "u-period": period.pk,
                "u-value": "12.5",
                "u-narrative": "First workshop",
            },
        ).status_code
        == 302
    )
    update = IndicatorUpdate.objects.get()
    assert client.post(url, {"action": "review", "v-update": update.pk, "v-move": "submit"}).status_code == 302
    update.refresh_from_db()
    assert update.status == "submitted" and update.author == roles["editor"]


def test_an_organisation_that_does_not_take_part_cannot_report(client, roles, make_project, walk, make_org, make_user):
    from serai.access.models import Role

    project = walk(make_project(), "implementation")
    outsider = make_user(Role.ORG_EDITOR, make_org("Other Institute", country="UZ"))
    client.force_login(outsider)
    assert "Report progress" not in client.get(f"/en/projects/{project.pk}/").content.decode()
    assert client.get(f"/en/projects/{project.pk}/results/").status_code == 403


def test_the_proponent_names_and_removes_editors(client, roles, make_project, make_user):
    project = make_project()  # proposed by the Kazakh focal point
    colleague = make_user(username="colleague")
    client.force_login(colleague)
    assert client.get(f"/en/projects/{project.pk}/").status_code == 404  # a draft: not theirs yet

    client.force_login(roles["fp_kz"])
    detail = client.get(f"/en/projects/{project.pk}/").content.decode()
    assert f'action="/en/projects/{project.pk}/editors/"' in detail
    url = f"/en/projects/{project.pk}/editors/"
    page = client.post(url, {"username": "Colleague"}, follow=True).content.decode()
    assert "colleague now edits this project." in page
    assert AuditEntry.objects.filter(action="project.editor.add").exists()
    assert (
        "No account has the user name ghost." in client.post(url, {"username": "ghost"}, follow=True).content.decode()
    )

    client.force_login(colleague)
    assert client.get(f"/en/projects/{project.pk}/edit/").status_code == 200
    assert client.post(url, {"username": "nobody"}).status_code == 403  # an editor does not name others

    client.force_login(roles["economy"])
    assert client.post(url, {"username": "nobody"}).status_code in (403, 404)

    client.force_login(roles["fp_kz"])
    page = client.post(url, {"username": "colleague", "remove": "on"}, follow=True).content.decode()
    assert "colleague no longer edits this project." in page
    assert AuditEntry.objects.filter(action="project.editor.remove").exists()
    client.force_login(colleague)
    assert client.get(f"/en/projects/{project.pk}/edit/").status_code == 404


def test_every_link_on_the_project_page_opens_for_whoever_sees_it(client, roles, make_project, walk):
    projects = [make_project(), walk(make_project(), "appraisal"), walk(make_project(), "implementation")]
    for who in ("secretariat", "fp_kz", "fp_uz", "economy", "social", "editor", "nobody"):
        client.force_login(roles[who])
        for project in projects:
            response = client.get(f"/en/projects/{project.pk}/")
            if response.status_code == 404:
                continue
            for href in set(re.findall(rf'href="(/en/projects/{project.pk}/[a-z]+/)"', response.content.decode())):
                assert client.get(href).status_code == 200, (who, project.status, href)
