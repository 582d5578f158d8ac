"""The audit log is a hash chain: edits and deletions made behind Serai's back are caught."""

import threading

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, connections

from serai.core import audit
from serai.core.audit import GENESIS, verify_chain
from serai.core.models import AuditEntry


def _entries(system, n, label="x"):
    return [
        audit.record(system, f"test.{label}", None, after={"n": i, "label": label, "ratio": 2.5, "big": 1e17})
        for i in range(n)
    ]


def _verify_output():
    from io import StringIO

    out = StringIO()
    call_command("audit", "verify", stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_entries_link_to_the_one_before_and_verify(system, make_org):
    make_org(name="Институт")  # a real write with a content type and translated text
    _entries(system, 5)
    rows = list(AuditEntry.objects.order_by("id"))
    assert rows[0].prev_hash == GENESIS
    for before, after in zip(rows, rows[1:], strict=False):
        assert after.prev_hash == before.hash and len(after.hash) == 64
    report = verify_chain()
    assert report.ok and report.entries == len(rows) and report.head_id == rows[-1].id
    assert _verify_output().startswith(f"ok: {len(rows)} entries; head: entry {rows[-1].id} {rows[-1].hash}")


@pytest.mark.django_db
def test_a_change_made_in_sql_is_caught_at_that_entry(system):
    rows = _entries(system, 5)
    victim = rows[2]
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE core_auditentry SET changes = %s WHERE id = %s", ['{"n": {"before": null, "after": 99}}', victim.id]
        )
    report = verify_chain()
    assert not report.ok and report.broken_id == victim.id and "content" in report.problem
    with pytest.raises(CommandError, match=f"entry {victim.id}:"):
        call_command("audit", "verify")


@pytest.mark.django_db
def test_a_changed_actor_label_is_caught(system):
    rows = _entries(system, 3)
    AuditEntry.objects.filter(id=rows[0].id).update(actor_label="someone else")
    assert verify_chain().broken_id == rows[0].id


@pytest.mark.django_db
def test_a_deleted_middle_entry_is_caught_at_the_next_one(system):
    rows = _entries(system, 5)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM core_auditentry WHERE id = %s", [rows[2].id])
    report = verify_chain()
    assert report.broken_id == rows[3].id and f"entry {rows[1].id}" in report.problem


@pytest.mark.django_db
def test_a_rehashed_entry_is_caught_at_the_next_one(system):
    """Someone who edits an entry and recomputes its own hash still breaks the next link."""
    rows = _entries(system, 4)
    victim = AuditEntry.objects.get(id=rows[1].id)
    victim.reason = "rewritten"
    victim.hash = audit.entry_hash(victim, "")
    victim.save()
    assert verify_chain().broken_id == rows[2].id


@pytest.mark.django_db
def test_a_truncated_log_is_caught_by_the_head_written_down_before(system):
    rows = _entries(system, 3)
    head = rows[-1].hash
    AuditEntry.objects.filter(id=rows[-1].id).delete()
    assert verify_chain().ok  # a chain cut at its end is still a chain…
    with pytest.raises(CommandError, match="expected hash"):  # …but the head written down is gone
        call_command("audit", "verify", "--expect-head", head)


@pytest.mark.django_db
def test_the_migration_links_entries_written_before_it(system):
    """Entries that exist when migration 0002 runs get a chain that verifies."""
    from importlib import import_module

    from django.apps import apps

    _entries(system, 3)
    AuditEntry.objects.update(prev_hash="", hash="")
    assert not verify_chain().ok
    migration = import_module("serai.core.migrations.0002_audit_hash_chain")

    class Editor:
        connection = connection

    migration.link_existing(apps, Editor())
    assert verify_chain().ok


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_keep_one_chain(system):
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers need PostgreSQL (SQLite serialises every write)")
    from django.db import transaction

    errors = []

    def writer(label):
        try:
            for i in range(15):
                with transaction.atomic():
                    audit.record(system, f"test.{label}", None, after={"i": i})
                    audit.record(system, f"test.{label}", None, after={"i": i, "second": True})
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=writer, args=(name,)) for name in ("a", "b", "c")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    report = verify_chain()
    assert report.ok and report.entries == AuditEntry.objects.count() == 90
