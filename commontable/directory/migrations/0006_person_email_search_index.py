"""People search on PostgreSQL: the full-text index over names *and* email is replaced by one over
the email alone, beside the existing one over names (docs/adr/0014-bulk-people-import.md). A
search by staff asks for each word in either index; the names were indexed twice before. SQLite's
FTS5 table is unchanged.

On a new database 0002 already creates the new pair (it reads PERSON_SEARCH); the statements here
are idempotent, so they leave it as it is."""

from django.db import migrations

# The index 0002 created before this migration, for going back.
OLD_INDEX = "directory_person_search_idx"
OLD_EXPRESSION = (
    "(name_folded || ' ' || full_name || ' ' || aliases || ' ' || translate(email_normalized, '@.+_-', '     '))"
)
NEW_INDEX = "directory_person_email_search_idx"
NEW_EXPRESSION = "translate(email_normalized, '@.+_-', '     ')"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {NEW_INDEX} ON directory_person USING GIN (to_tsvector('simple', {NEW_EXPRESSION}))"
    )
    schema_editor.execute(f"DROP INDEX IF EXISTS {OLD_INDEX}")


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {OLD_INDEX} ON directory_person USING GIN (to_tsvector('simple', {OLD_EXPRESSION}))"
    )
    schema_editor.execute(f"DROP INDEX IF EXISTS {NEW_INDEX}")


class Migration(migrations.Migration):
    dependencies = [("directory", "0005_fewer_person_indexes")]
    operations = [migrations.RunPython(forwards, backwards)]
