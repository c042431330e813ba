"""PostgreSQL: btree indexes on people's upper-cased names for prefix lookups, which the
综合 tab's row of people makes (``search.selectors.users_matching(prefix=True)``:
Django's ``istartswith`` is ``UPPER(col::text) LIKE 'X%'``). Without them every search
read every person (3 ms at 10 000 people, growing with them). SQLite reads the table.
"""

from django.db import migrations

CREATE = [
    "CREATE INDEX search_user_username_prefix ON accounts_user (UPPER(username::text) text_pattern_ops)",
    "CREATE INDEX search_user_display_prefix ON accounts_user (UPPER(display_name::text) text_pattern_ops)",
]
DROP = [
    "DROP INDEX IF EXISTS search_user_display_prefix",
    "DROP INDEX IF EXISTS search_user_username_prefix",
]


def _postgresql(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for sql in statements:
                schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0006_rank_key")]

    operations = [migrations.RunPython(_postgresql(CREATE), _postgresql(DROP))]
