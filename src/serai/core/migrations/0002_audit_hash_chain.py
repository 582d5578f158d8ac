"""The audit log becomes a hash chain: ``prev_hash`` and ``hash`` on every entry, computed for the
entries already there in id order (see ``serai.core.audit.chain_hash``)."""

from django.db import migrations, models

BATCH = 2000


def link_existing(apps, schema_editor):
    from serai.core.audit import GENESIS, chain_hash

    AuditEntry = apps.get_model("core", "AuditEntry")
    ContentType = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    labels = {ct.id: f"{ct.app_label}.{ct.model}" for ct in ContentType.objects.using(db).all()}
    prev, last = GENESIS, 0
    while True:
        rows = list(AuditEntry.objects.using(db).filter(id__gt=last).order_by("id")[:BATCH])
        if not rows:
            return
        for entry in rows:
            entry.prev_hash = prev
            entry.hash = prev = chain_hash(
                prev,
                at=entry.at,
                actor_label=entry.actor_label,
                action=entry.action,
                content_type=labels.get(entry.content_type_id, ""),
                object_id=entry.object_id,
                object_repr=entry.object_repr,
                changes=entry.changes,
                reason=entry.reason,
            )
        AuditEntry.objects.using(db).bulk_update(rows, ["prev_hash", "hash"])
        last = rows[-1].id


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial"), ("contenttypes", "0002_remove_content_type_name")]

    operations = [
        migrations.AddField(
            model_name="auditentry",
            name="prev_hash",
            field=models.CharField(blank=True, editable=False, max_length=64),
        ),
        migrations.AddField(
            model_name="auditentry",
            name="hash",
            field=models.CharField(blank=True, editable=False, max_length=64),
        ),
        migrations.RunPython(link_existing, migrations.RunPython.noop),
    ]
