"""A DOCTYPE is refused by the XML parser itself, wherever it stands and whatever the encoding
(issue 13, defect 11): after 64 KiB of comments, in UTF-16 or UCS-4 with or without a byte-order
mark, and the billion laughs. Every refusal names the file; a normal IATI file still imports."""

from __future__ import annotations

import pytest

from serai.core.safexml import UnsafeXMLError, parse_file
from serai.iati import parse
from serai.iati.generate import generate

DTD = (
    '<!DOCTYPE iati-activities [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
    '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">'
    '<!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">'
    '<!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">]>\n'
)


def _attack(
    tmp_path, name: str, *, padding: str = "", encoding: str = "UTF-8", codec: str = "utf-8", entity: bool = True
) -> Path:  # noqa: F821
    good = generate(tmp_path / "good.xml", 5, member_share=1.0, seed=4).read_text("utf-8")
    declaration, rest = good.split("?>", 1)
    declaration = f'<?xml version="1.0" encoding="{encoding}"'
    if entity:  # the entity in a title, where an import would store it
        rest = rest.replace("[synthetic]", "&lol5;", 1)
    path = tmp_path / name
    path.write_bytes((declaration + "?>\n" + padding + DTD + rest.lstrip()).encode(codec))
    return path


CASES = {
    "doctype after 64 KiB of comments": dict(padding="<!-- " + "x" * 70_000 + " -->\n"),
    "doctype after 64 KiB of whitespace and processing instructions": dict(
        padding=" \n" * 20_000 + "<?pi x?>\n" * 4000
    ),
    "utf-16 with a byte-order mark": dict(encoding="UTF-16", codec="utf-16"),
    "utf-16le without a byte-order mark": dict(encoding="UTF-16", codec="utf-16-le"),
    "utf-16be without a byte-order mark": dict(encoding="UTF-16", codec="utf-16-be"),
    "ucs-4 with a byte-order mark": dict(encoding="UCS-4", codec="utf-32"),
    "ucs-4 big-endian without a byte-order mark": dict(encoding="UCS-4", codec="utf-32-be"),
    "ucs-4 little-endian without a byte-order mark": dict(encoding="UCS-4", codec="utf-32-le"),
    "billion laughs": dict(),
}


@pytest.mark.parametrize("case", CASES)
def test_the_iati_reader_refuses_a_doctype_anywhere(tmp_path, case):
    path = _attack(tmp_path, "attack.xml", **CASES[case])
    with pytest.raises(parse.IatiFileError) as info:
        list(parse.read(path))
    assert str(path) in str(info.value)
    assert "DOCTYPE" in str(info.value) or "UCS-4" in str(info.value)


@pytest.mark.parametrize("case", CASES)
def test_the_hardened_parser_refuses_a_doctype_anywhere(tmp_path, case):
    path = _attack(tmp_path, "attack.xml", **CASES[case])
    with pytest.raises(UnsafeXMLError) as info:
        parse_file(path)
    assert str(path) in str(info.value)
    assert "DOCTYPE" in str(info.value) or "UCS-4" in str(info.value)


def test_a_doctype_mentioned_in_a_comment_is_not_a_doctype(tmp_path):
    good = generate(tmp_path / "good.xml", 5, member_share=1.0, seed=4).read_text("utf-8")
    declaration, rest = good.split("?>", 1)
    path = tmp_path / "comment.xml"
    path.write_text(declaration + "?>\n<!-- no <!DOCTYPE here, nor <!ENTITY -->" + rest, "utf-8")
    assert sum(isinstance(x, parse.Parsed) for x in parse.read(path)) == 5
    assert parse_file(path).getroot().tag == "iati-activities"


@pytest.mark.parametrize("codec", ["utf-8", "utf-16"])
def test_a_normal_iati_file_still_reads(tmp_path, codec):
    good = generate(tmp_path / "good.xml", 12, member_share=1.0, seed=4)
    if codec != "utf-8":
        text = good.read_text("utf-8").replace('encoding="UTF-8"', 'encoding="UTF-16"', 1)
        good.write_bytes(text.encode(codec))
    assert sum(isinstance(x, parse.Parsed) for x in parse.read(good)) == 12
    assert parse_file(good).getroot().tag == "iati-activities"


@pytest.mark.django_db
def test_the_import_refuses_a_far_doctype_and_stores_nothing(tmp_path, reference, make_user):
    from serai.access.models import Role
    from serai.iati import operations
    from serai.iati.models import LandscapeActivity

    staff = make_user(Role.SECRETARIAT)
    path = _attack(tmp_path, "far.xml", **CASES["doctype after 64 KiB of comments"])
    run = operations.import_file(staff, str(path))
    assert run.status == "failed" and "DOCTYPE" in run.error and str(path) in run.error
    assert not LandscapeActivity.objects.exists()
    good = generate(tmp_path / "good.xml", 12, member_share=1.0, seed=4)
    assert operations.import_file(staff, str(good)).status == "done"
