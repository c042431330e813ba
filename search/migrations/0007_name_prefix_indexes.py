"""Indexes on people's names for prefix lookups, which the 综合 tab's row of people makes
(``search.selectors.users_matching(prefix=True)``). Without them every search read every
person (3 ms at 10 000 people on PostgreSQL, 1.5 on SQLite, growing with them).

PostgreSQL: Django's ``istartswith`` is ``UPPER(col::text) LIKE 'X%'``, answered by btree
indexes on the upper-cased names with ``text_pattern_ops``. SQLite: its ``LIKE`` ignores
ASCII case, and uses an index built with the ``NOCASE`` collation for a prefix. (A later
migration that makes Django re-create ``accounts_user`` on SQLite drops them: re-create
them after it, as 0006 does for the search triggers.)
"""

from django.db import migrations

CREATE = {
    "postgresql": [
        "CREATE INDEX search_user_username_prefix ON accounts_user (UPPER(username::text) text_pattern_ops)",
        "CREATE INDEX search_user_display_prefix ON accounts_user (UPPER(display_name::text) text_pattern_ops)",
    ],
    "sqlite": [
        "CREATE INDEX search_user_username_prefix ON accounts_user (username COLLATE NOCASE)",
        "CREATE INDEX search_user_display_prefix ON accounts_user (display_name COLLATE NOCASE)",
    ],
}
DROP = ["DROP INDEX IF EXISTS search_user_display_prefix", "DROP INDEX IF EXISTS search_user_username_prefix"]


def forwards(apps, schema_editor):
    for sql in CREATE.get(schema_editor.connection.vendor, []):
        schema_editor.execute(sql)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor in CREATE:
        for sql in DROP:
            schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("search", "0006_rank_key"), ("accounts", "0007_field_names_translated")]

    operations = [migrations.RunPython(forwards, backwards)]
