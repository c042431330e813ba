"""The backend's own full-text index over ``search_searchdocument.tokens``.

SQLite: an FTS5 table with external content, kept in step by triggers (ranked by bm25).
PostgreSQL: a generated ``simple`` tsvector with a GIN index, and ``pg_trgm`` indexes on
post titles, tag names and usernames for partial and mistyped words. The database's
locale must not be plain ``C`` (use ``C.UTF-8`` or a language locale): under ``C``,
``pg_trgm`` sees no letters in Chinese text.
"""

from django.db import migrations

SQLITE = [
    "CREATE VIRTUAL TABLE search_fts USING fts5(tokens, content='search_searchdocument', "
    "content_rowid='post_id', tokenize='unicode61 remove_diacritics 2')",
    "CREATE TRIGGER search_fts_ai AFTER INSERT ON search_searchdocument BEGIN "
    "INSERT INTO search_fts(rowid, tokens) VALUES (new.post_id, new.tokens); END",
    "CREATE TRIGGER search_fts_ad AFTER DELETE ON search_searchdocument BEGIN "
    "INSERT INTO search_fts(search_fts, rowid, tokens) VALUES ('delete', old.post_id, old.tokens); END",
    "CREATE TRIGGER search_fts_au AFTER UPDATE ON search_searchdocument BEGIN "
    "INSERT INTO search_fts(search_fts, rowid, tokens) VALUES ('delete', old.post_id, old.tokens); "
    "INSERT INTO search_fts(rowid, tokens) VALUES (new.post_id, new.tokens); END",
]
SQLITE_UNDO = [
    "DROP TRIGGER IF EXISTS search_fts_au",
    "DROP TRIGGER IF EXISTS search_fts_ad",
    "DROP TRIGGER IF EXISTS search_fts_ai",
    "DROP TABLE IF EXISTS search_fts",
]
POSTGRESQL = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "ALTER TABLE search_searchdocument ADD COLUMN vector tsvector "
    "GENERATED ALWAYS AS (to_tsvector('simple', tokens)) STORED",
    "CREATE INDEX search_document_vector ON search_searchdocument USING gin (vector)",
    "CREATE INDEX search_post_title_trgm ON content_post USING gin (title gin_trgm_ops)",
    "CREATE INDEX search_tag_name_trgm ON content_tag USING gin (name gin_trgm_ops)",
    "CREATE INDEX search_user_username_trgm ON accounts_user USING gin (username gin_trgm_ops)",
    "CREATE INDEX search_user_display_trgm ON accounts_user USING gin (display_name gin_trgm_ops)",
]
POSTGRESQL_UNDO = [
    "DROP INDEX IF EXISTS search_user_display_trgm",
    "DROP INDEX IF EXISTS search_user_username_trgm",
    "DROP INDEX IF EXISTS search_tag_name_trgm",
    "DROP INDEX IF EXISTS search_post_title_trgm",
    "ALTER TABLE search_searchdocument DROP COLUMN IF EXISTS vector",
]


def forwards(apps, schema_editor):
    statements = {"sqlite": SQLITE, "postgresql": POSTGRESQL}.get(schema_editor.connection.vendor, [])
    for sql in statements:
        schema_editor.execute(sql)


def backwards(apps, schema_editor):
    statements = {"sqlite": SQLITE_UNDO, "postgresql": POSTGRESQL_UNDO}.get(schema_editor.connection.vendor, [])
    for sql in statements:
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0001_initial"),
        ("content", "0004_posttag_tag_post"),
        ("accounts", "0003_user_ban"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
