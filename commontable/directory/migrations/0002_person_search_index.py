"""Full-text search over people: FTS5 on SQLite, a GIN expression index on PostgreSQL."""

from django.db import migrations

from commontable.core.search import index_operations
from commontable.directory.models import PERSON_SEARCH


class Migration(migrations.Migration):
    dependencies = [("directory", "0001_initial")]
    operations = [index_operations(PERSON_SEARCH)]
