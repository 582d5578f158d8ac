"""A GIN index for PostgreSQL full-text search on projects (nothing on other databases)."""

from django.db import migrations

INDEX = "projects_project_search_gin"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON projects_project "
            "USING gin (to_tsvector('simple'::regconfig, COALESCE(search_document, '')))"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("projects", "0001_initial")]
    operations = [migrations.RunPython(create, drop)]
