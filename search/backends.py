"""The full-text backends behind one small interface: ``match``, ``similar_titles`` and
``optimize``.

Both read the ``search_searchdocument.tokens`` column (jieba's tokens, space-separated):

- SQLite: an FTS5 table ``search_fts`` over it (external content keyed by ``rank_key``,
  kept in step by triggers the migration creates), scored by ``bm25``.
- PostgreSQL: a generated ``simple`` tsvector column ``vector`` with a GIN index and a
  btree on ``rank_key`` that holds it too (``PG_MATCH``), scored by ``ts_rank``;
  ``pg_trgm`` indexes on post titles, tag names and usernames answer partial and
  mistyped words (``similar_titles`` and the people / topic tabs).

``match`` reads matches in ``rank_key`` order (best static-score tier first, then newest:
``search.ranking``) and stops at ``limit``, scoring only what it returns: scoring every
match to keep the best text scores made a word found in 20 000 posts cost 14 ms on SQLite
and 20 ms on PostgreSQL.

Tokens reach a backend only as ``\\w+`` words (``search.tokens``), each quoted, so no
query text is ever read as the backend's query syntax. A deployment that outgrows the
database implements these functions over OpenSearch / Elasticsearch (with a jieba or IK
analyser) or Meilisearch, fed by ``search.services.index_posts``.
"""

from __future__ import annotations

from django.db import connection
from django.db.models import CharField, Lookup

from search.ranking import KEY_SHIFT, POST_MASK, TIER_ONE
from search.tokens import required, whole


def vendor() -> str:
    return connection.vendor


def match(tokens: list[str], *, limit: int, any_token: bool = False) -> list[tuple[int, float, int]]:
    """Return up to ``limit`` (post id, text score, tier), in index order (best static-score
    tier first, then newest); higher text scores match better.

    Every token must match, or with ``any_token`` at least one. The last one also matches
    as a prefix, for a word still being typed, unless it is a whole dictionary word
    (``search.tokens.whole``).
    """
    if not any_token:
        tokens = required(tokens)
    if not tokens:
        return []
    quote, prefix_mark, all_of, any_of = SYNTAX[connection.vendor]
    terms = [quote.format(t) for t in tokens]
    if not whole(tokens[-1]):
        terms[-1] += prefix_mark
    with connection.cursor() as cursor:
        cursor.execute(MATCH[connection.vendor], [(any_of if any_token else all_of).join(terms), limit])
        # Up to 2 000 rows a query: the key's parts (ranking.post_of, tier_of) taken inline.
        return [(key & POST_MASK, score, key >> KEY_SHIFT) for key, score in cursor.fetchall()]


# How each backend's query language writes a quoted word, the prefix mark, "all of" and
# "any of" (the tokens are ``\w+`` words: nothing in them is syntax).
SYNTAX = {"sqlite": ('"{}"', "*", " ", " OR "), "postgresql": ("'{}'", ":*", " & ", " | ")}

# PostgreSQL picks how to read by how many documents it expects the words in: for a
# common word, backwards along the covering index on (rank_key) INCLUDE (vector)
# (migration 0008), checking each document there until it has ``limit``; for a rarer
# one, every match through the GIN index, then the ``limit`` best keys.
PG_MATCH = (
    "SELECT rank_key, ts_rank(vector, q) FROM search_searchdocument, "
    "to_tsquery('simple', %s) q WHERE vector @@ q ORDER BY rank_key DESC LIMIT %s"
)
MATCH = {
    # FTS5 reads in rowid (rank_key) order; bm25 is lower for better: negated, so higher
    # is better everywhere.
    "sqlite": "SELECT rowid, -bm25(search_fts) FROM search_fts WHERE search_fts MATCH %s "
    "ORDER BY rowid DESC LIMIT %s",
    "postgresql": PG_MATCH,
}


def optimize() -> None:
    """Tidy the index after many writes (a rebuild, a re-sort of the tiers).

    SQLite: FTS5 keeps each batch of writes as a segment, and a query merges them as it
    reads; after a rebuild of 100 000 documents in key order (tier-major, so each batch
    spans the whole key range), reading 2 000 matches took 7 ms instead of 2.8 until
    ``optimize`` merged them (0.6 s). PostgreSQL: ``VACUUM ANALYZE`` marks the rewritten
    pages all-visible, so the covering index (migration 0008) answers a read without the
    table, and refreshes the word statistics the planner picks its read by (0.4 s at
    100 000 documents). VACUUM cannot run inside a transaction: there (tests, a caller's
    ``atomic``) it is left to autovacuum.
    """
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("INSERT INTO search_fts(search_fts) VALUES ('optimize')")
    elif connection.vendor == "postgresql" and not connection.in_atomic_block:
        with connection.cursor() as cursor:
            cursor.execute("VACUUM (ANALYZE) search_searchdocument")


def similar_titles(text: str, *, limit: int) -> list[tuple[int, float, int]]:
    """Return (post id, similarity, the neutral tier) of the newest ``limit`` posts whose
    title resembles ``text`` (mistyped words, or words the query cut apart that the titles
    keep whole); PostgreSQL only.

    Newest first, not most similar: every title past the threshold is a fair candidate
    for the ranking that follows, and PostgreSQL can then stop at ``limit`` walking back
    the ids when many resemble (挖到, held by 12 000 of 100 000 bench titles: 40 ms to
    score them all, 3 to stop) and take the trigram index when few do.
    """
    if connection.vendor != "postgresql" or not text:
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id, word_similarity(%s, title) FROM content_post WHERE %s <%% title "
            "ORDER BY id DESC LIMIT %s",
            [text, text, limit],
        )
        return [(pk, float(score), TIER_ONE) for pk, score in cursor.fetchall()]


@CharField.register_lookup
class WordSimilar(Lookup):
    """``field__word_similar=text``: pg_trgm's ``text <% field`` (a word of the field
    resembles ``text``), which the GIN trigram indexes of the migration answer.
    PostgreSQL only; the selectors use it only there."""

    lookup_name = "word_similar"

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{rhs} <%% {lhs}", [*rhs_params, *lhs_params]
