"""A refused form inside a folded section opens it and says so at the top (issue 14, item 6)."""

import re

import pytest

from serai.access.models import Role
from serai.governance.models import Meeting


@pytest.mark.django_db
def test_a_refused_upload_opens_its_section_with_a_message_on_top(client, make_user, reference):
    meeting = Meeting.objects.create(body=reference["bodies"]["economy"], number=3, year=2026, status="planned")
    client.force_login(make_user(Role.SECRETARIAT))
    response = client.post(f"/en/meetings/{meeting.pk}/", {"form": "document", "dt-kind": "report"})
    assert response.status_code == 400
    page = response.content.decode()
    main = page[page.index("<main") :]
    first_message = re.search(r'<p class="message ([a-z ]+)" role="([a-z]+)">', main)
    assert first_message and first_message.groups() == ("error", "alert")
    assert main.index("Some entries were not accepted") < main.index("Attach a document")
    assert re.search(r"<details open><summary>Attach a document</summary>", page)
    assert re.search(r"<details><summary>Add an agenda item</summary>", page)  # the others stay folded
