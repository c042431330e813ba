"""Writes of search: the index kept in step with posts, searches recorded, hot-search moderation.

The index follows the post's own writes: every save of a post queues its re-index for
when the transaction commits (``post_create`` and ``post_update`` set the tags inside
the same transaction, so the tokens include them), and deleting a post deletes its
document by cascade. Visibility is checked against the post's row at query time, so a
removal or a limit is effective at once.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from django.db import connection, transaction
from django.db.models import Count
from django.db.models.functions import TruncDate
from django.db.models.signals import post_save
from django.dispatch import Signal
from django.utils import timezone

from accounts.models import User
from config.transactions import relaxed_commit
from content.models import Post, PostTag, Tag
from feeds.engine.interests import Signal as InterestSignal
from feeds.knobs import knob, knobs
from feeds.services.interests import interests_apply, interests_boost_tags
from search import backends
from search.models import BlockedSearch, HotSearch, SearchDocument, SearchLog
from search.ranking import rank_key, rising, static_score, tier
from search.selectors import FACTS, FINDABLE, candidate
from search.tokens import document, normalise, query_tokens

# Sent by the API when someone opens a result: a signal for their interest profile.
search_click = Signal()


def _rank_key(facts: tuple, *, now: datetime, k: dict) -> int:
    """Return the index key of a post from its ``selectors.FACTS`` row: the tier of its
    static score (tier 0 for a post no one may find, so it sinks in every read)."""
    if facts[FACTS.index("status")] not in FINDABLE:
        return rank_key(facts[0], 0)
    return rank_key(facts[0], tier(static_score(candidate(facts, text=0.0, interest=0.0, now=now), k)))


def _documents(post_ids: Iterable[int]) -> list[SearchDocument]:
    post_ids = list(post_ids)
    tags: dict[int, list[str]] = {}
    for post_id, name in PostTag.objects.filter(post_id__in=post_ids).values_list(
        "post_id", "tag__name"
    ):
        tags.setdefault(post_id, []).append(name)
    now, k = timezone.now(), knobs()
    return [
        SearchDocument(
            post_id=row[0],
            tokens=document(title, body, " ".join(tags.get(row[0], ())), place_name),
            rank_key=_rank_key(row, now=now, k=k),
            indexed_at=now,
        )
        for *row, title, body, place_name in Post.objects.filter(pk__in=post_ids).values_list(
            *FACTS, "title", "body", "place_name"
        )
    ]


def index_posts(post_ids: Iterable[int]) -> int:
    """Write (or rewrite) the search documents of these posts; return how many."""
    docs = _documents(post_ids)
    SearchDocument.objects.bulk_create(
        docs,
        update_conflicts=True,
        unique_fields=["post"],
        update_fields=["tokens", "rank_key", "indexed_at"],
        batch_size=500,
    )
    return len(docs)


def index_retier(*, now: datetime | None = None, chunk: int = 5000) -> int:
    """Move each document to the tier of its post's static score now; return how many moved.

    Engagement grows and freshness fades between a post's saves, so the beat task
    ``search.tasks.retier_search`` runs this every ``PERIOD_SEARCH_TIERS`` seconds. A
    tier is a 5 % step, so a run moves the few posts whose score crossed one; the index
    is tidied after a run that moved any (``backends.optimize``).
    """
    now, k = now or timezone.now(), knobs()
    documents = Post.objects.filter(search_document__isnull=False).order_by("pk")
    moved, last = 0, 0
    while True:
        rows = list(documents.filter(pk__gt=last).values_list(*FACTS, "search_document__rank_key")[:chunk])
        if not rows:
            if moved:
                backends.optimize()
            return moved
        last = rows[-1][0]
        changes = [(key, row[0]) for *row, old in rows if (key := _rank_key(tuple(row), now=now, k=k)) != old]
        if changes:
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.executemany("UPDATE search_searchdocument SET rank_key = %s WHERE post_id = %s", changes)
            moved += len(changes)


def index_rebuild(*, missing_only: bool = False, chunk: int = 1000, progress=None) -> int:
    """Index every post (or only those without a document), ``chunk`` at a time, then tidy
    the index (``backends.optimize``)."""
    posts = Post.objects.order_by("pk")
    if missing_only:
        posts = posts.filter(search_document__isnull=True)
    else:
        SearchDocument.objects.all().delete()
    ids = list(posts.values_list("pk", flat=True))
    done = 0
    for start in range(0, len(ids), chunk):
        done += index_posts(ids[start : start + chunk])
        if progress:
            progress(len(ids[start : start + chunk]))
    if done:
        backends.optimize()
    return done


def _post_saved(sender, instance: Post, raw: bool = False, **kwargs) -> None:
    if raw:  # loaddata
        return
    post_id = instance.pk
    transaction.on_commit(lambda: index_posts([post_id]))


def connect() -> None:
    """Keep the index in step with every save of a post (called from ``AppConfig.ready``)."""
    post_save.connect(_post_saved, sender=Post, dispatch_uid="search-index-post")


def search_record(*, user: User, query: str, now: datetime | None = None) -> SearchLog | None:
    """Record a search: history and hot searches, and the searcher's interest in its tags.

    A query naming existing tags (火锅, 露营) raises the searcher's affinity to them by
    ``SIGNAL_WEIGHTS["search"]``, so what someone looks for shows in their feed that day.
    Both writes commit together, without waiting for the disk (``relaxed_commit``: a
    crash may lose the last fraction of a second of searches).
    """
    text = normalise(query)[:100]
    if not text:
        return None
    with relaxed_commit():
        log = SearchLog.objects.create(
            user=user if user.is_authenticated else None, query=text, created_at=now or timezone.now()
        )
        weight = knob("SIGNAL_WEIGHTS").get("search", 0.0)
        if user.is_authenticated and weight:
            names = set(query_tokens(text)) | {text}
            tag_ids = list(Tag.objects.filter(name__in=names).values_list("pk", flat=True))
            interests_boost_tags(user_id=user.pk, tag_ids=tag_ids, weight=weight, now=now)
    return log


def search_click_record(*, user: User, post: Post) -> None:
    """Count a click on a search result as a signal on the post for the clicker's profile."""
    if user.is_authenticated:
        interests_apply([InterestSignal(user_id=user.pk, post_id=post.pk, name="search_click")])
        search_click.send(sender=Post, user=user, post=post)


def history_clear(*, user: User) -> int:
    """Hide all of ``user``'s searches from their history; return how many."""
    return SearchLog.objects.filter(user=user, in_history=True).update(in_history=False)


@transaction.atomic
def hot_search_block(*, query: str, by: User | None = None) -> None:
    """Take ``query`` off the hot list for good (a moderator's call)."""
    text = normalise(query)
    BlockedSearch.objects.get_or_create(query=text, defaults={"blocked_by": by})
    HotSearch.objects.filter(query=text).delete()


def hot_searches_recompute(*, now: datetime | None = None) -> int:
    """Recompute the hot searches (热搜) from the search log; return how many there are.

    Counts distinct searchers per query and day (one person searching ten times is one),
    in the recent window and in the baseline days before it; anonymous searches and the
    queries moderators blocked never enter.
    """
    now = now or timezone.now()
    recent_hours = knob("SEARCH_HOT_RECENT_HOURS")
    baseline_hours = knob("SEARCH_HOT_BASELINE_DAYS") * 24
    recent_start = now - timedelta(hours=recent_hours)
    baseline_start = recent_start - timedelta(hours=baseline_hours)
    blocked = set(BlockedSearch.objects.values_list("query", flat=True))

    def searchers(start: datetime, end: datetime) -> dict[str, int]:
        """Distinct searchers per query and day, summed over the days of [start, end)."""
        rows = (
            SearchLog.objects.filter(created_at__gte=start, created_at__lt=end, user__isnull=False)
            .annotate(day=TruncDate("created_at"))
            .values("query", "day")
            .annotate(n=Count("user", distinct=True))
            .values_list("query", "n")
        )
        totals: dict[str, int] = {}
        for query, n in rows:
            if query not in blocked:
                totals[query] = totals.get(query, 0) + n
        return totals

    hot = rising(
        searchers(recent_start, now),
        searchers(baseline_start, recent_start),
        recent_hours=recent_hours,
        baseline_hours=baseline_hours,
        min_searchers=knob("SEARCH_HOT_MIN_SEARCHERS"),
        limit=knob("SEARCH_HOT_SIZE"),
    )
    with transaction.atomic():
        HotSearch.objects.all().delete()
        HotSearch.objects.bulk_create(
            HotSearch(query=q, rank=i + 1, score=score, searches=n, computed_at=now)
            for i, (q, score, n) in enumerate(hot)
        )
    return len(hot)
