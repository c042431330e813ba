"""Documents are read in ``rank_key`` order (the tier of the post's static score above its
id), so a query can stop at its first matches instead of scoring every one.

SQLite: the FTS5 table is re-created keyed by ``rank_key`` (its rowid order is the only
order FTS5 reads in without scoring every match). Its triggers go first: adding a unique
column re-creates the documents' table, which would drop them. Existing documents start
at tier 0 in post order (newest first); ``search.tasks.retier_search`` sorts them into
their tiers on its first run, and ``rebuild_search`` does at once.
PostgreSQL: the column's unique index is the read order.
"""

from importlib import import_module

from django.db import migrations, models

FULLTEXT = import_module("search.migrations.0002_fulltext")

SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS search_fts_au",
    "DROP TRIGGER IF EXISTS search_fts_ad",
    "DROP TRIGGER IF EXISTS search_fts_ai",
    "DROP TABLE IF EXISTS search_fts",
]
SQLITE_CREATE = [
    "CREATE VIRTUAL TABLE search_fts USING fts5(tokens, content='search_searchdocument', "
    "content_rowid='rank_key', tokenize='unicode61 remove_diacritics 2')",
    "CREATE TRIGGER search_fts_ai AFTER INSERT ON search_searchdocument BEGIN "
    "INSERT INTO search_fts(rowid, tokens) VALUES (new.rank_key, new.tokens); END",
    "CREATE TRIGGER search_fts_ad AFTER DELETE ON search_searchdocument BEGIN "
    "INSERT INTO search_fts(search_fts, rowid, tokens) VALUES ('delete', old.rank_key, old.tokens); END",
    "CREATE TRIGGER search_fts_au AFTER UPDATE ON search_searchdocument BEGIN "
    "INSERT INTO search_fts(search_fts, rowid, tokens) VALUES ('delete', old.rank_key, old.tokens); "
    "INSERT INTO search_fts(rowid, tokens) VALUES (new.rank_key, new.tokens); END",
    "INSERT INTO search_fts(search_fts) VALUES ('rebuild')",
]
SQLITE_OLD = [*FULLTEXT.SQLITE, "INSERT INTO search_fts(search_fts) VALUES ('rebuild')"]


def _sqlite(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "sqlite":
            for sql in statements:
                schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0005_field_names_translated")]

    operations = [
        migrations.RunPython(_sqlite(SQLITE_DROP), _sqlite(SQLITE_OLD)),
        migrations.AddField(
            model_name="searchdocument", name="rank_key", field=models.BigIntegerField(null=True)
        ),
        migrations.RunSQL("UPDATE search_searchdocument SET rank_key = post_id", migrations.RunSQL.noop),
        migrations.AlterField(
            model_name="searchdocument", name="rank_key", field=models.BigIntegerField(unique=True)
        ),
        migrations.RunPython(_sqlite(SQLITE_CREATE), _sqlite(SQLITE_DROP)),
    ]
