"""Reads of search: results for a query, suggestions while typing, history, hot searches.

A result page costs a fixed number of queries whatever the query: the backend's match,
the candidates' rows (visibility checked there; the searcher's blocks and "not
interested" marks come from the feeds' cache), their interests, the candidates' tags,
and the page's cards.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.selectors import hidden_author_ids
from content.models import Channel, Post, PostTag, Tag
from feeds.knobs import knobs
from feeds.models import InterestAffinity
from feeds.services.serving import Exclusions, exclusions_for
from search import backends
from search.models import HotSearch, SearchLog
from search.ranking import Candidate, rank, shortlist
from search.tokens import normalise, query_tokens

TYPES = ("all", "note", "video", "user", "topic")
SORTS = ("relevance", "newest", "most_liked")
EARTH_KM = 6371.0


class BadQuery(ValueError):
    """A search parameter that cannot be answered (the API turns it into a 400)."""


@dataclass
class Query:
    text: str
    type: str = "all"
    sort: str = "relevance"
    channel: str = ""
    lat: float | None = None
    lng: float | None = None
    offset: int = 0
    size: int = 20

    def __post_init__(self) -> None:
        self.text = normalise(self.text)[:100]
        if self.type not in TYPES:
            raise BadQuery(f"type must be one of: {', '.join(TYPES)}.")
        if self.sort not in SORTS:
            raise BadQuery(f"sort must be one of: {', '.join(SORTS)}.")
        if (self.lat is None) != (self.lng is None):
            raise BadQuery(_("Give lat and lng together."))
        if self.lat is not None and not (-90 <= self.lat <= 90 and -180 <= self.lng <= 180):
            raise BadQuery("lat must be within ±90 and lng within ±180.")
        if self.offset < 0 or not 1 <= self.size <= 50:
            raise BadQuery(_("Bad cursor or page size."))


@dataclass
class Results:
    posts: list[Post] = field(default_factory=list)
    users: list[User] = field(default_factory=list)
    topics: list[Tag] = field(default_factory=list)
    next_offset: int | None = None
    total: int = 0


def _km(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lng2 - lng1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_KM * math.asin(math.sqrt(min(1.0, a)))


@dataclass
class Profile:
    """The searcher's positive affinities and the candidates' tags, to score interest."""

    scores: dict[tuple[str, int], float]
    post_tags: dict[int, list[int]]
    strongest: float = field(init=False)

    def __post_init__(self) -> None:
        self.strongest = max(self.scores.values())

    def interest(self, post_id: int, channel_ids: tuple[int | None, ...]) -> float:
        """Return 0 … 1: the post's best tag or channel affinity over the strongest one."""
        keys = [("tag", t) for t in self.post_tags.get(post_id, ())]
        keys += [("channel", c) for c in channel_ids if c]
        return max((self.scores.get(key, 0.0) for key in keys), default=0.0) / self.strongest


def _profile(user: User, candidate_ids: list[int]) -> Profile | None:
    if not user.is_authenticated or not candidate_ids:
        return None
    scores = {
        (kind, key): score
        for kind, key, score in InterestAffinity.objects.filter(user=user, score__gt=0)
        .order_by("-score")
        .values_list("kind", "key", "score")[:500]
    }
    if not scores:
        return None
    tags: dict[int, list[int]] = {}
    for post_id, tag_id in PostTag.objects.filter(post_id__any_of=candidate_ids).values_list(
        "post_id", "tag_id"
    ):
        tags.setdefault(post_id, []).append(tag_id)
    return Profile(scores, tags)


# Posts a search may find: limited ones too, lower down (docs/decisions/search-limited-posts.md).
FINDABLE = (Post.Status.PUBLISHED, Post.Status.LIMITED)
# A post's facts that relevance reads, in the order ``candidate`` takes them.
FACTS = (
    "pk",
    "like_count",
    "favourite_count",
    "comment_count",
    "view_count",
    "published_at",
    "status",
    "pool__quality_score",
)


def candidate(facts: tuple, *, text: float, interest: float, now) -> Candidate:
    """Return the ranking's view of a post from its ``FACTS`` row."""
    pk, likes, saves, comments, views, published, status, quality = facts
    return Candidate(
        pk,
        text,
        likes,
        saves,
        comments,
        views,
        (now - published).total_seconds() / 86400 if published else 0.0,
        interest,
        status == Post.Status.LIMITED,
        1.0 if quality is None else quality,
    )


def post_hits(query: Query, *, user: User, excluded: Exclusions | None = None) -> list[int]:
    """Return the ids of the posts matching ``query`` that ``user`` may see, in order
    (``excluded``: the user's ``exclusions_for``, when the caller has them)."""
    k = knobs()
    words = query_tokens(query.text)
    read = k["SEARCH_READ"]
    hits = backends.match(words, limit=read)
    if not hits and words:
        # Nothing has every word: fall back to any word, then to similar titles.
        hits = backends.match(words, limit=read, any_token=True) or backends.similar_titles(
            query.text, limit=k["SEARCH_CANDIDATES"]
        )
    if not hits:
        return []
    text_score = dict(shortlist(hits, k["SEARCH_CANDIDATES"]))
    posts = Post.objects.filter(pk__any_of=list(text_score), status__in=FINDABLE, author__is_active=True)
    if query.type in ("note", "video"):
        posts = posts.filter(kind=query.type)
    if query.channel:
        channel = Channel.objects.filter(slug=query.channel).values_list("pk", flat=True).first()
        if channel is None:
            raise BadQuery(_("No channel named {channel}.").format(channel=repr(query.channel)))
        posts = posts.filter(Q(channel_id=channel) | Q(channel__parent_id=channel))
    # Blocks either way and "not interested" authors and posts, as the feeds keep them
    # (cached in Redis, versioned on every change); a "not interested" tag is still found.
    posts = posts.filter((excluded or exclusions_for(user)).post_filter(tags=False))
    rows = list(posts.values_list(*FACTS, "channel_id", "channel__parent_id", "lat", "lng"))
    if query.lat is not None:
        radius = k["SEARCH_NEARBY_KM"]
        rows = [
            r for r in rows if r[10] is not None and _km(query.lat, query.lng, r[10], r[11]) <= radius
        ]
    if query.sort == "newest":
        rows.sort(key=lambda r: (r[5] or timezone.now(), r[0]), reverse=True)
        return [r[0] for r in rows]
    if query.sort == "most_liked":
        rows.sort(key=lambda r: (r[1], r[0]), reverse=True)
        return [r[0] for r in rows]
    profile = _profile(user, [r[0] for r in rows])
    now = timezone.now()
    candidates = [
        candidate(
            row[:8],
            text=text_score[row[0]],
            interest=profile.interest(row[0], (row[8], row[9])) if profile else 0.0,
            now=now,
        )
        for row in rows
    ]
    return [c.post_id for c in rank(candidates, k)]


def users_matching(
    text: str, *, user: User, limit: int, offset: int = 0, prefix: bool = False, hidden: set[int] | None = None
) -> list[User]:
    """Return active people whose username or display name holds ``text``, best known first.

    With ``prefix``, only names that start with it: the 综合 tab's row of people, which
    PostgreSQL answers from an index (migration 0007) however many people there are; a
    name anywhere in a name, or mistyped, is the 用户 tab's.

    People blocked either way are never found; ``hidden`` replaces that set: the 综合 tab
    passes the authors its posts leave out (blocks and "not interested" authors, from the
    feeds' cache), so its row of people does not put up someone the searcher asked to
    see less of, which the 用户 tab, asked for people by name, still finds.
    """
    if not text:
        return []
    people = User.objects.filter(is_active=True, is_banned=False).exclude(
        pk__in=hidden_author_ids(user=user) if hidden is None else hidden
    )
    ordered = ("-follower_count", "pk")
    lookup = "istartswith" if prefix else "icontains"
    holding = Q(**{f"username__{lookup}": text}) | Q(**{f"display_name__{lookup}": text})
    found = list(people.filter(holding).order_by(*ordered)[offset : offset + limit])
    if connection.vendor == "postgresql" and not prefix and offset == 0 and len(found) < limit:
        # Too few hold the text: add mistyped names, through the trigram indexes (asked
        # only then: OR-ed into the first query it made PostgreSQL score every person).
        similar = people.filter(Q(username__word_similar=text) | Q(display_name__word_similar=text))
        found += list(similar.exclude(pk__in=[u.pk for u in found]).order_by(*ordered)[: limit - len(found)])
    return found


def topics_matching(text: str, *, limit: int, offset: int = 0) -> list[Tag]:
    """Return tags whose name holds ``text``, most used first."""
    if not text:
        return []
    matches = Q(name__icontains=text)
    if connection.vendor == "postgresql":
        matches |= Q(name__word_similar=text)
    found = Tag.objects.filter(matches, post_count__gt=0)
    return list(found.order_by("-post_count", "name")[offset : offset + limit])


def search(query: Query, *, user: User) -> Results:
    """Return one page of results for ``query`` as ``user`` may see them."""
    results = Results()
    if not query.text:
        return results
    end = query.offset + query.size
    if query.type == "user":
        found = users_matching(query.text, user=user, limit=query.size + 1, offset=query.offset)
        results.users, more = found[: query.size], len(found) > query.size
    elif query.type == "topic":
        found = topics_matching(query.text, limit=query.size + 1, offset=query.offset)
        results.topics, more = found[: query.size], len(found) > query.size
    else:
        excluded = exclusions_for(user)
        ids = post_hits(query, user=user, excluded=excluded)
        results.total = len(ids)
        page = ids[query.offset : end]
        more = len(ids) > end
        by_id = Post.objects.in_bulk(page)
        results.posts = [by_id[pk] for pk in page if pk in by_id]
        if query.type == "all" and query.offset == 0:
            results.users = users_matching(
                query.text, user=user, limit=3, prefix=True, hidden=excluded.authors
            )
            results.topics = topics_matching(query.text, limit=5)
    results.next_offset = end if more else None
    return results


def suggestions(text: str, *, user: User, limit: int = 8) -> list[dict]:
    """Return completions for a query being typed: topics, then titles, then people."""
    text = normalise(text)[:100]
    if not text:
        return []
    out: list[dict] = []
    for name in (
        Tag.objects.filter(name__startswith=text, post_count__gt=0)
        .order_by("-post_count", "name")
        .values_list("name", flat=True)[:limit]
    ):
        out.append({"kind": "topic", "text": name})
    words = query_tokens(text)
    hits = [hit[0] for hit in backends.match(words, limit=limit * 3)] if words else []
    if hits:
        titles = dict(
            Post.objects.filter(pk__in=hits, status=Post.Status.PUBLISHED, author__is_active=True)
            .exclude(title="")
            .values_list("pk", "title")
        )
        out += [{"kind": "post", "text": titles[pk]} for pk in hits if pk in titles]
    for username, display in (
        User.objects.filter(is_active=True, is_banned=False)
        .filter(Q(username__startswith=text) | Q(display_name__startswith=text))
        .exclude(pk__in=hidden_author_ids(user=user))
        .order_by("-follower_count", "pk")
        .values_list("username", "display_name")[:limit]
    ):
        out.append({"kind": "user", "text": display or username, "username": username})
    seen, unique = set(), []
    for item in out:
        if item["text"] not in seen:
            seen.add(item["text"])
            unique.append(item)
    return unique[:limit]


def history(*, user: User, limit: int = 20) -> list[str]:
    """Return ``user``'s recent distinct searches, newest first."""
    if not user.is_authenticated:
        return []
    seen: list[str] = []
    for query in (
        SearchLog.objects.filter(user=user, in_history=True)
        .order_by("-created_at", "-id")
        .values_list("query", flat=True)[: limit * 5]
    ):
        if query not in seen:
            seen.append(query)
        if len(seen) == limit:
            break
    return seen


def hot_searches(*, limit: int = 20) -> list[HotSearch]:
    """Return the hot searches of the last recompute, first first."""
    return list(HotSearch.objects.order_by("rank")[:limit])
