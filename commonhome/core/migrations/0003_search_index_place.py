"""The SQLite text index gains the place as an indexed column, so searches within a place
are narrowed inside the index. PostgreSQL needs no change (its place filter uses the
existing (place, kind) index alongside the GIN index).
"""

from django.db import migrations


def recreate(apps, schema_editor):
    from commonhome.core.search import SQLITE_REBUILD, SQLITE_SETUP, SQLITE_TEARDOWN

    if schema_editor.connection.vendor != "sqlite":
        return
    for sql in [*SQLITE_TEARDOWN, *SQLITE_SETUP, SQLITE_REBUILD]:
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("core", "0002_search_index")]
    operations = [migrations.RunPython(recreate, migrations.RunPython.noop)]
