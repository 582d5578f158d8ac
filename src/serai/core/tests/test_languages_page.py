"""The Secretariat sees how complete each interface language is (issue 14, item 10)."""

import polib
import pytest

from serai.access.models import Role
from serai.core import languages


def test_each_interface_language_has_a_row_counted_from_its_catalog():
    rows = {r.code: r for r in languages.completeness()}
    assert list(rows) == ["en", "ko", "ru", "kk", "uz", "ky", "tg", "tk"]
    assert rows["en"].percent == 100 and rows["en"].needs_review == 0
    ru = polib.pofile(str(languages._catalog("ru")))
    assert rows["ru"].entries == len([e for e in ru if not e.obsolete])
    assert rows["ru"].translated == len([e for e in ru if not e.obsolete and e.translated() and "fuzzy" not in e.flags])
    assert rows["ru"].needs_review == len(
        [
            e
            for e in ru
            if not e.obsolete and e.translated() and "fuzzy" not in e.flags and languages.REVIEW in e.tcomment
        ]
    )
    assert rows["ru"].needs_review > 0 and rows["ko"].enabled and not rows["kk"].enabled


@pytest.mark.django_db
def test_the_page_is_for_the_secretariat(client, make_user):
    staff = make_user(Role.SECRETARIAT)
    member = make_user()
    client.force_login(member)
    assert client.get("/en/languages/").status_code == 403
    client.force_login(staff)
    page = client.get("/ru/languages/").content.decode()
    assert 'href="/ru/languages/"' in page  # in the Secretariat's menu
    ru = next(r for r in languages.completeness() if r.code == "ru")
    assert f"{ru.percent} %" in page and ">Тоҷикӣ<" in page
