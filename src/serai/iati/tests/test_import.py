"""The landscape import: member-state filter, idempotence, bad activities, and the attack corpus."""

import os

import pytest
from lxml import etree

from serai.access.models import Role
from serai.iati import data as d
from serai.iati import export, operations, parse, schema
from serai.iati.generate import generate
from serai.iati.models import ImportRun, LandscapeActivity


@pytest.fixture
def staff(reference, make_user):
    return make_user(Role.SECRETARIAT)


def snapshot():
    return sorted(LandscapeActivity.objects.values_list("identifier", "content_hash"))


def test_generated_file_keeps_only_member_state_activities_and_is_idempotent(tmp_path, staff):
    path = generate(tmp_path / "a.xml", 300, member_share=0.3, seed=3)
    run = operations.import_file(staff, str(path))
    assert run.status == "done", run.error
    members = {"KZ", "UZ", "TM", "KG", "TJ"}
    tree = etree.parse(str(path))
    expected = {
        a.findtext("iati-identifier")
        for a in tree.getroot()
        if {c.get("code") for c in a.findall("recipient-country")} & members
        or any(r.get("code") == "619" for r in a.findall("recipient-region"))
    }
    assert set(LandscapeActivity.objects.values_list("identifier", flat=True)) == expected
    assert (run.read, run.imported, run.updated, run.rejected) == (300, len(expected), 0, 0)
    assert run.skipped == 300 - len(expected)
    one = LandscapeActivity.objects.filter(country_codes__contains=" KZ ").first()
    assert one.title["values"]["en"].startswith("[synthetic]") and one.raw_xml.startswith("<iati-activity")
    assert one.total_budget_usd is not None or one.unconverted  # converted, or kept apart — never guessed
    again = operations.import_file(staff, str(path))
    assert (again.imported, again.updated, again.skipped) == (0, 0, 300)


def test_changed_activity_is_updated_and_bad_ones_are_rejected_while_good_ones_commit(tmp_path, staff):
    path = generate(tmp_path / "a.xml", 40, member_share=1.0, seed=4)
    operations.import_file(staff, str(path))
    text = path.read_text()
    first_id = etree.parse(str(path)).getroot()[0].findtext("iati-identifier")
    text = text.replace("[synthetic] ", "[synthetic, revised] ", 1)
    # Break one activity: a budget value that is not a number.
    marker = "<value currency="
    pos = text.index(marker, text.index("<iati-activity", 2000))
    end = text.index(">", pos) + 1
    text = text[:end] + "lots" + text[text.index("<", end) :]
    changed = tmp_path / "b.xml"
    changed.write_text(text)
    run = operations.import_file(staff, str(changed))
    assert run.status == "done" and run.updated == 1 and run.rejected == 1
    assert run.reasons[0]["line"] > 1 and "not a number" in run.reasons[0]["reason"]
    assert LandscapeActivity.objects.get(identifier=first_id).title["values"]["en"].startswith("[synthetic, revised]")
    assert LandscapeActivity.objects.count() == 40  # the rejected one keeps its earlier version


ATTACKS = {
    "billion_laughs.xml": (
        '<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">'
        '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;">]>\n<iati-activities version="2.03"><iati-activity>'
        "<iati-identifier>&lol3;</iati-identifier></iati-activity></iati-activities>",
        "DOCTYPE",
    ),
    "xxe.xml": (
        '<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
        '<iati-activities version="2.03"><iati-activity><iati-identifier>&xxe;</iati-identifier>'
        "</iati-activity></iati-activities>",
        "DOCTYPE",
    ),
    "wrong_root.xml": ('<?xml version="1.0"?>\n<html><body>not iati</body></html>', "not <iati-activities>"),
    "old_version.xml": (
        '<?xml version="1.0"?>\n<iati-activities version="1.05"></iati-activities>',
        "1.05 is not supported",
    ),
    "not_xml.xml": ("t,i,j,k,v,q\n2020,4,8,10110,1,1\n", "malformed XML"),
    "empty.xml": ("", "empty"),
}


@pytest.mark.parametrize("name", sorted(ATTACKS))
def test_attack_corpus_is_refused_and_nothing_changes(tmp_path, staff, name):
    operations.import_file(staff, str(generate(tmp_path / "good.xml", 30, member_share=1.0)))
    before = snapshot()
    text, expected = ATTACKS[name]
    path = tmp_path / name
    path.write_text(text)
    run = operations.import_file(staff, str(path))
    assert run.status == "failed" and expected in run.error and str(path) in run.error
    assert snapshot() == before


def test_truncated_and_wrongly_encoded_files_fail_with_their_line(tmp_path, staff):
    good = generate(tmp_path / "good.xml", 30, member_share=1.0, seed=8)
    operations.import_file(staff, str(good))
    before = snapshot()
    data = good.read_bytes()
    truncated = tmp_path / "truncated.xml"
    truncated.write_bytes(data.replace(b"[synthetic]", b"[synthetic, new]")[: len(data) * 2 // 3])
    run = operations.import_file(staff, str(truncated))
    assert run.status == "failed" and "malformed XML" in run.error and ", line " in run.error
    assert snapshot() == before  # the activities read before the break were rolled back
    latin = tmp_path / "latin1.xml"
    latin.write_bytes(data.replace(b"[synthetic]", "[synthétique]".encode("latin-1"), 1))
    run = operations.import_file(staff, str(latin))
    assert run.status == "failed" and "line" in run.error
    assert snapshot() == before


def test_size_limit_and_a_2gb_sparse_file(tmp_path, staff, settings):
    sparse = tmp_path / "sparse.xml"
    with open(sparse, "wb") as fh:
        fh.truncate(2 * 1024**3)  # 2 GB of zero bytes, taking no disk
    run = operations.import_file(staff, str(sparse))
    assert run.status == "failed" and "empty" in run.error and run.seconds < 5
    settings.SERAI_IATI_MAX_BYTES = 1000
    big = generate(tmp_path / "big.xml", 5)
    run = operations.import_file(staff, str(big))
    assert run.status == "failed" and "limit" in run.error
    assert LandscapeActivity.objects.count() == 0
    os.remove(sparse)


def test_only_the_secretariat_imports(tmp_path, make_user, reference):
    from django.core.exceptions import PermissionDenied

    fp = make_user(Role.FOCAL_POINT, reference["states"]["KZ"])
    with pytest.raises(PermissionDenied):
        operations.import_file(fp, str(generate(tmp_path / "a.xml", 3)))
    assert ImportRun.objects.count() == 0


def test_the_parser_alone_streams(tmp_path):
    path = generate(tmp_path / "a.xml", 50, member_share=0.5)
    items = list(parse.read(path))
    assert len(items) == 50 and all(isinstance(i, parse.Parsed) for i in items)


def as_activity(obj) -> d.Activity:
    """A landscape activity back as IATI from the fields Serai keeps: the round trip's other half."""
    lang = obj.title.get("source") or "en"
    return d.Activity(
        identifier=obj.identifier,
        reporting_org=d.Org(
            ref=obj.reporting_org_ref,
            type=obj.reporting_org_type,
            names={lang: obj.reporting_org_name} if obj.reporting_org_name else {},
        ),
        title=dict(obj.title.get("values", {})),
        description=dict(obj.description.get("values", {})),
        status=obj.status,
        dates=dict(obj.dates),
        participating=[
            d.Org(ref=o["ref"], type=o["type"], role=o["role"], names=o["names"]) for o in obj.participating_orgs
        ],
        countries=[(c["code"], c["percentage"]) for c in obj.countries],
        regions=[(r["vocabulary"], r["code"], r["percentage"]) for r in obj.regions],
        sectors=[(s["vocabulary"], s["code"], s["percentage"]) for s in obj.sectors],
        budgets=[
            d.Budget(b["start"], b["end"], d.Money(b["value"], b["currency"], b["value_date"]), b["type"], b["status"])
            for b in obj.budgets
        ],
        transactions=[
            d.Transaction(
                t["type"],
                t["date"],
                d.Money(t["value"], t["currency"], t["value_date"]),
                d.Org(ref=t["provider"]["ref"], type=t["provider"]["type"], names=t["provider"]["names"])
                if t.get("provider")
                else None,
            )
            for t in obj.transactions
        ],
        default_lang=lang,
        default_currency=obj.default_currency,
    )


def test_annotated_official_example_round_trips(tmp_path, staff):
    from serai.core.testing import shared_data_path

    example = shared_data_path("iati/examples/activity-standard-example-annotated.xml")
    run = operations.import_file(staff, str(example), keep_all=True)
    assert run.status == "done" and run.imported >= 1, (run.error, run.reasons)
    for obj in LandscapeActivity.objects.all():
        out = tmp_path / "out.xml"
        out.write_bytes(b"".join(export.stream_activities([as_activity(obj)])))
        assert schema.validate_tree(etree.parse(str(out))) == []
        again = [i for i in parse.read(out) if isinstance(i, parse.Parsed)]
        assert len(again) == 1
        original = next(
            i for i in parse.read(example) if isinstance(i, parse.Parsed) and i.activity.identifier == obj.identifier
        )
        a, b = original.activity, again[0].activity
        for field in (
            "identifier",
            "title",
            "description",
            "status",
            "dates",
            "countries",
            "regions",
            "sectors",
            "budgets",
            "transactions",
            "participating",
            "default_currency",
        ):
            assert getattr(a, field) == getattr(b, field), field
        assert a.reporting_org.ref == b.reporting_org.ref and a.reporting_org.type == b.reporting_org.type


def test_import_from_a_url(tmp_path, staff):
    import http.server
    import threading

    generate(tmp_path / "feed.xml", 20, member_share=1.0, seed=9)
    handler = lambda *a, **kw: http.server.SimpleHTTPRequestHandler(*a, directory=str(tmp_path), **kw)  # noqa: E731
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/feed.xml"
        run = operations.import_file(staff, url)
        assert run.status == "done" and run.imported == 20 and run.source == url
        missing = operations.import_file(staff, url.replace("feed", "nothing"))
        assert missing.status == "failed" and "cannot download" in missing.error
    finally:
        server.shutdown()
