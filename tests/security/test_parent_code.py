"""The parent-project (programme) code field resolves a code only among the projects the user may
see, with one answer for 'no such code' and 'not yours to see'; a public page never names a parent
the viewer may not see (issue 13, item 12)."""

from __future__ import annotations

import pytest

from serai.projects.forms import ProjectForm
from serai.projects.models import Project


@pytest.fixture
def hidden(make_project, roles):
    """An idea of Uzbekistan's: fp-kz may not see it."""
    return make_project(actor=roles["fp_uz"], countries=("KR", "UZ"))


def _data(form) -> dict:
    data = {}
    for name, field in form.fields.items():
        value = form[name].value()
        if hasattr(field.widget, "widgets"):
            for i, sub in enumerate(field.widget.decompress(value)):
                data[f"{name}_{i}"] = "" if sub is None else sub
        elif isinstance(value, (list, tuple)):
            data[name] = [str(getattr(v, "pk", v)) for v in value]
        else:
            data[name] = "" if value is None else str(value)
    return data


def test_a_hidden_code_reads_like_a_missing_one(client, make_project, roles, hidden):
    mine = make_project(actor=roles["fp_kz"])
    client.force_login(roles["fp_kz"])
    url = f"/en/projects/{mine.pk}/edit/"
    answers = {}
    for code in (hidden.code, "KCA-2099-9999"):
        data = _data(client.get(url).context["form"])
        data["parent_code"] = code
        response = client.post(url, data)
        errors = response.context["form"].errors["parent_code"]
        answers[code] = [e.replace(code, "<code>") for e in errors]
    assert answers[hidden.code] == answers["KCA-2099-9999"] == ["No project has the code <code>."]
    assert Project.objects.get(pk=mine.pk).parent_id is None
    # a code the user may see is accepted
    sibling = make_project(actor=roles["fp_kz"])
    data = _data(client.get(url).context["form"])
    data["parent_code"] = sibling.code
    assert client.post(url, data).status_code == 302
    assert Project.objects.get(pk=mine.pk).parent_id == sibling.pk


def test_the_form_resolves_codes_for_its_user_only(make_project, roles, hidden):
    mine = make_project(actor=roles["fp_kz"])
    for user, ok in ((roles["fp_kz"], False), (roles["fp_uz"], True), (roles["secretariat"], True), (None, False)):
        form = ProjectForm(instance=mine, user=user)
        form.cleaned_data = {"parent_code": hidden.code}
        if ok:
            assert form.clean_parent_code() == hidden
        else:
            with pytest.raises(Exception, match="No project has the code"):
                form.clean_parent_code()


def test_a_hidden_parent_is_neither_shown_in_the_form_nor_lost_on_save(client, make_project, roles, hidden):
    child = make_project(actor=roles["fp_kz"])
    Project.objects.filter(pk=child.pk).update(parent=hidden)  # set by the Secretariat
    client.force_login(roles["fp_kz"])
    url = f"/en/projects/{child.pk}/edit/"
    page = client.get(url)
    assert hidden.code not in page.content.decode()
    data = _data(page.context["form"])
    data["tags_text"] = "kept"
    assert client.post(url, data).status_code == 302
    assert Project.objects.get(pk=child.pk).parent_id == hidden.pk  # not dropped by an unrelated edit


def test_a_public_page_never_names_a_hidden_parent(client, make_project, walk, roles, hidden):
    child = walk(make_project(actor=roles["fp_kz"]), "endorsed")  # public
    Project.objects.filter(pk=child.pk).update(parent=hidden)
    for who in (None, "nobody", "fp_kz"):
        client.logout()
        if who:
            client.force_login(roles[who])
        page = client.get(f"/en/projects/{child.pk}/").content.decode()
        assert hidden.code not in page and f"/projects/{hidden.pk}/" not in page, who
        api = client.get(f"/api/v1/projects/{child.pk}/").content.decode()
        assert hidden.code not in api
    client.force_login(roles["secretariat"])
    assert hidden.code in client.get(f"/en/projects/{child.pk}/").content.decode()
