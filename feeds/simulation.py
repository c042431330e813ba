"""A simulated world that scrolls the real feeds, to measure what the engine does.

Synthetic people have *hidden tastes*: three favourite channels (with their
sub-channels) weighted 1.0, 0.8 and 0.6, which they pick at sign-up; optionally
interests they did not pick (``unpicked``, e.g. ``(0.4, 0.3)``: two more channels at
those weights), which only the feed's exploration can find; optionally tastes over
*tags* (``topics``, e.g. 3: every sub-channel has that many topic tags, 烘焙新手 / 烘焙进阶 / …,
each post carries one, and each person has a favourite topic in every channel they like,
liked ``TOPIC_RATIO`` times as much as the others, the channel's mean unchanged), which
only what they engage with can tell; and a faint interest (0.02) in everything else.
Some of them write; each author has a hidden *true quality*. New posts arrive all day.
The people scroll 为你推荐 through the real services (``discover_page``: candidates,
ranking, mixing, impressions) and engage as their tastes say, through the real
interaction services; the real engine functions run on a schedule in simulated time
(pool evaluation, hot lists, co-engagement, account weights, interest decay). Nothing is
stubbed: the only fiction is who the people are and what they like.

Engagement model: a person with taste ``a`` (0.02–1; with topics, times the topic's
factor) for a post's channel and a post of true quality ``q`` likes it with probability
``0.01 + 0.15·a·q^1.5`` (a like rate of 1–14 %, as on real platforms), saves it with
0.35 of that, comments 0.15, shares 0.05; a poor match skips quickly now and then and
says "not interested" rarely. With ``opens`` (off by default) people also open cards to
read them, with probability ``opens · (0.02 + 0.3·a·(0.5 + 0.5·q))``: a view of 5 s or
more, the profiles' weak signal (opening is not engagement and leaves the likes as they
are). *Engagement per impression* is the expected probability that an impression is
engaged with (liked, saved, commented or shared), averaged over what a feed served. The
three baselines (chronological, most liked, random) are measured on the same people at
the same moments, from the same published posts, without feeding the engine.

The world is about a thousandth of a real platform, so the pool quotas and the sample
sizes of the pool rules are scaled by ``quota_scale`` (default 0.1: base pool 15 instead
of 150, tier 1 100 instead of 1 000, early stop after 10 impressions …). Every other
number is the platform's own knob (the early-stop and negative-feedback sample sizes are
not scaled: a rule on ten impressions would be a coin flip).
"""

from __future__ import annotations

import random
import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.utils import timezone

from accounts import services as accounts
from accounts.models import User
from content import services as content
from content.models import Channel, Post
from feeds.knobs import knobs as engine_knobs
from feeds.models import PoolEntry, PoolTransition

HQ, LQ = 0.7, 0.3  # true quality at or above / at or below: high / low quality
# Topic tags of a sub-channel (``topics``): its name and one of these, e.g. 烘焙新手.
TOPIC_SUFFIXES = ("新手", "进阶", "好物", "攻略", "合集", "测评")
TOPIC_RATIO = 3.0  # a person's favourite topic of a channel against each other topic of it
# Opening a card (``opens``): probability OPEN_BASE + OPEN_TASTE · taste · (0.5 + 0.5 · quality).
OPEN_BASE, OPEN_TASTE = 0.02, 0.3


def _mean(values: list[float]) -> float:
    """The mean of ``values``, 0 for none."""
    return statistics.fmean(values) if values else 0.0


_PNG = None


def _png() -> bytes:
    global _PNG
    if _PNG is None:
        import io

        from PIL import Image

        buffer = io.BytesIO()
        Image.new("RGB", (32, 24), (220, 120, 120)).save(buffer, "PNG")
        _PNG = buffer.getvalue()
    return _PNG


_CHARS = (
    "春夏秋冬山水花鸟风云日月星辰江河湖海城乡街巷茶酒饭菜汤面包糕点咖啡奶油果蔬鱼肉鸡鸭牛羊"
    "书画琴棋诗词歌舞衣帽鞋包车船桥路灯窗门墙屋院园林石木竹松梅兰菊荷柳桃李杏梨橘枣栗瓜豆"
)


@dataclass
class Person:
    user: User
    taste: dict[int, float]  # leaf channel id → weight; others DEFAULT_TASTE
    picked: dict[int, float] = field(default_factory=dict)  # the part picked at sign-up
    quality: float | None = None  # true quality, for authors
    channels: list[int] = field(default_factory=list)  # where an author writes
    topics: dict[int, int] = field(default_factory=dict)  # leaf channel id → favourite topic


DEFAULT_TASTE = 0.02


def scaled_engine(scale: float) -> dict:
    """Return the platform's knobs with the pool quotas and the smoothing prior scaled.

    The minimum samples of the early stop (100 impressions) and of the negative-feedback
    stops are not scaled: on ten impressions a 3 % like rate is a coin flip, not a signal.
    """
    k = dict(settings.ENGINE)

    def s(n: float) -> int:
        return max(1, round(n * scale))

    k["POOL_QUOTAS"] = [s(q) for q in k["POOL_QUOTAS"]]
    k["POOL_BASE_QUOTA_RANGE"] = tuple(s(q) for q in k["POOL_BASE_QUOTA_RANGE"])
    k["POOL_SMOOTHING_IMPRESSIONS"] = s(k["POOL_SMOOTHING_IMPRESSIONS"])
    return k


class Simulation:
    def __init__(
        self,
        *,
        users: int = 2400,
        authors: int = 160,
        posts_per_day: int = 200,
        days: int = 3,
        sessions_per_day: int = 1,
        pages_per_session: int = 1,
        quota_scale: float = 0.1,
        seed: int = 7,
        unpicked: tuple[float, ...] = (),
        topics: int = 0,
        opens: float = 0.0,
        knobs: dict | None = None,
        progress=None,
    ):
        self.n_users, self.n_authors = users, authors
        self.posts_per_day, self.days = posts_per_day, days
        self.sessions, self.pages = sessions_per_day, pages_per_session
        self.quota_scale = quota_scale
        self.knobs = dict(knobs or {})  # engine knobs tried at other values than the settings'
        # Two random streams: the world (people, tastes, authors, which posts arrive when,
        # their true quality) and behaviour (who scrolls when, reactions, the random
        # baseline). A knob changes what people are shown and so how they behave, never
        # the world: runs with different knobs judge the same posts.
        self.world = random.Random(seed)
        self.rng = random.Random(seed + 1)
        # The interests people did not pick come from a third stream, so the rest of the
        # world (who picks what, the authors, the posts) is the same with or without them.
        self.unpicked = tuple(unpicked)
        self.hidden = random.Random(seed + 2)
        # Topics too (each post's topic, each person's favourite ones): with or without
        # them, the people, their channels, the authors and the posts are the same.
        if topics == 1 or not 0 <= topics <= len(TOPIC_SUFFIXES):
            raise ValueError(f"give 0 (channels only) or 2–{len(TOPIC_SUFFIXES)} topics per sub-channel")
        self.topics = topics
        self.topic_rng = random.Random(seed + 3)
        # A favourite topic's and another topic's factor: TOPIC_RATIO apart, mean 1.
        spread = TOPIC_RATIO + topics - 1
        self.topic_factor = (topics * TOPIC_RATIO / spread, topics / spread)
        self.post_topic: dict[int, int] = {}
        # Opening a card (reading the note: a view event) has a stream of its own too, so
        # with or without it the likes, saves and skips are drawn alike.
        self.opens = opens
        self.open_rng = random.Random(seed + 4)
        self.day = 0
        self.progress = progress or (lambda message: None)
        self.people: list[Person] = []
        self.authors: list[Person] = []
        self.truth: dict[int, float] = {}  # post id → true quality
        self.post_channel: dict[int, int] = {}
        self.post_author: dict[int, int] = {}
        self.published_at: dict[int, datetime] = {}
        self.zero_follower_authors: set[int] = set()
        self.engaged: dict[str, list[float]] = defaultdict(list)
        self.discover_channels: dict[int, list[int]] = defaultdict(list)  # user → top-level channel per item
        self.baseline_seen: dict[tuple[str, int], set[int]] = defaultdict(set)
        self.served: dict[int, set[int]] = defaultdict(set)  # user → posts discover served them
        self.text_counter = 0

    # ---------------------------------------------------------------- world
    def _tree(self):
        channels = list(Channel.objects.all())
        self.channel_by_id = {c.pk: c for c in channels}
        self.top_of = {c.pk: (c.parent_id or c.pk) for c in channels}
        leaves = [c for c in channels if not any(o.parent_id == c.pk for o in channels)]
        groups: dict[int, list[int]] = defaultdict(list)
        for c in leaves:
            groups[self.top_of[c.pk]].append(c.pk)
        self.groups = groups

    def _taste(self) -> dict[int, float]:
        """Three favourite channels (with all their sub-channels), strongest first."""
        tops = self.world.sample(sorted(self.groups), 3)
        return {leaf: w for top, w in zip(tops, [1.0, 0.8, 0.6], strict=True) for leaf in self.groups[top]}

    def _unpicked(self, picked: dict[int, float]) -> dict[int, float]:
        """Interests the person has but did not pick: channels outside the picked ones."""
        mine = {self.top_of[leaf] for leaf in picked}
        others = [top for top in sorted(self.groups) if top not in mine]
        tops = self.hidden.sample(others, min(len(others), len(self.unpicked)))
        return {leaf: w for top, w in zip(tops, self.unpicked, strict=False) for leaf in self.groups[top]}

    def build(self) -> None:
        self._tree()
        self.progress(f"building {self.n_users} people, {self.n_authors} of them authors")
        for i in range(self.n_users):
            user = accounts.user_signup(username=f"sim{i:05d}", password="sim-pass-12345")
            taste = self._taste()  # what they pick at sign-up
            tops = []
            for leaf in sorted(taste, key=taste.get, reverse=True):
                if self.top_of[leaf] not in tops:
                    tops.append(self.top_of[leaf])
            while len(tops) < settings.ONBOARDING_MIN_CHANNELS:
                extra = self.world.choice(sorted(self.groups))
                if extra not in tops:
                    tops.append(extra)
            accounts.interests_set(user=user, channels=[self.channel_by_id[t] for t in tops])
            person = Person(user, {**self._unpicked(taste), **taste}, picked=taste)
            if self.topics:
                person.topics = {leaf: self.topic_rng.randrange(self.topics) for leaf in sorted(person.taste)}
            self.people.append(person)
        for person in self.people[: self.n_authors]:
            person.quality = self.world.uniform(0.05, 1.0)
            # Two of the leaves the author likes best, ties drawn at random (sorting ties by
            # id left the third sub-channel of a channel, e.g. 烘焙, without any author).
            ties = {leaf: self.world.random() for leaf in sorted(person.picked)}
            favourites = sorted(person.picked, key=lambda leaf: (-person.picked[leaf], ties[leaf]))
            person.channels = favourites[:2]
            self.authors.append(person)
        # A third of the authors are new: nobody follows them. The others gain followers
        # among readers who share their channels, more for better authors.
        established = self.authors[: 2 * len(self.authors) // 3]
        self.zero_follower_authors = {a.user.pk for a in self.authors[len(established):]}
        readers = self.people[self.n_authors :]
        for author in established:
            fans = [r for r in readers if any(c in r.picked for c in author.channels)]
            for reader in self.world.sample(fans, min(len(fans), int(3 + 25 * author.quality))):
                accounts.follow_create(follower=reader.user, followee=author.user)
        for person in self.people:
            person.user.refresh_from_db()

    def _text(self) -> str:
        self.text_counter += 1
        rng = random.Random(self.text_counter * 7919)
        return "".join(rng.choice(_CHARS) for _ in range(40)) + "，分享给大家。"

    def publish(self, author: Person) -> Post:
        channel = self.channel_by_id[self.world.choice(author.channels)]
        image = SimpleUploadedFile("p.png", _png(), content_type="image/png")
        tags = [channel.name_zh]
        topic = self.topic_rng.randrange(self.topics) if self.topics else None
        if topic is not None:
            tags.append(f"{channel.name_zh}{TOPIC_SUFFIXES[topic]}")
        post = content.post_create(
            author=author.user, kind="note", channel=channel, title=f"{channel.name_zh}日记 {self.text_counter}",
            body=self._text(), tags=tags, images=[image],
        )
        if topic is not None:
            self.post_topic[post.pk] = topic
        quality = min(1.0, max(0.0, author.quality + self.world.gauss(0, 0.08)))
        self.truth[post.pk] = quality
        self.post_channel[post.pk] = channel.pk
        self.post_author[post.pk] = author.user.pk
        self.published_at[post.pk] = post.published_at
        return post

    # ---------------------------------------------------------------- behaviour
    def favourite_topic(self, person: Person, post_id: int) -> bool | None:
        """Whether the post is on the person's favourite topic of its channel (None: no topics
        in this world, or not a channel they like)."""
        leaf = self.post_channel[post_id]
        if leaf not in person.topics or post_id not in self.post_topic:
            return None
        return person.topics[leaf] == self.post_topic[post_id]

    def taste_for(self, person: Person, post_id: int) -> float:
        """How much the person likes the post's channel, and its topic within it."""
        a = person.taste.get(self.post_channel[post_id], DEFAULT_TASTE)
        favourite = self.favourite_topic(person, post_id)
        if favourite is None:
            return a
        return a * self.topic_factor[0 if favourite else 1]

    def probabilities(self, person: Person, post_id: int) -> tuple[float, float, float, float]:
        a = self.taste_for(person, post_id)
        q = self.truth[post_id]
        like = min(0.95, 0.01 + 0.15 * a * q**1.5)
        return like, 0.35 * like, 0.15 * like, 0.05 * like

    def expected_engagement(self, person: Person, post_id: int) -> float:
        miss = 1.0
        for p in self.probabilities(person, post_id):
            miss *= 1 - p
        return 1 - miss

    def react(self, person: Person, post: Post) -> dict | None:
        """Engage with one served post as the person's hidden taste says; return the view
        event to report if they opened it (or skipped it at once), else None."""
        like, favourite, comment, share = self.probabilities(person, post.pk)
        rng, user = self.rng, person.user
        if rng.random() < like:
            content.like_create(user=user, post=post, source="sim")
        if rng.random() < favourite:
            content.favourite_create(user=user, post=post, source="sim")
        if rng.random() < comment:
            content.comment_create(user=user, post=post, body="好看")
        if rng.random() < share:
            content.share_create(user=user, post=post)
        a = person.taste.get(self.post_channel[post.pk], DEFAULT_TASTE)
        taste, q = self.taste_for(person, post.pk), self.truth[post.pk]
        event = None
        if taste * q < 0.1 and rng.random() < 0.3:
            event = {"post": post.pk, "seconds": 1.0, "source": "sim"}
        elif a <= DEFAULT_TASTE and q < LQ and rng.random() < 0.02:
            content.not_interested_create(user=user, kind="post", post=post)
        # Opening the card to read it: more for what they like, a little more for a better
        # post (its cover and title); they read longer what they like more.
        opens = min(0.9, self.opens * (OPEN_BASE + OPEN_TASTE * taste * (0.5 + 0.5 * q)))
        if event is None and self.opens and self.open_rng.random() < opens:
            event = {"post": post.pk, "seconds": round(5.0 + 60.0 * taste * q, 1), "source": "sim"}
        return event

    def candidates(self, person: Person, seen: set[int]) -> list[tuple[float, int]]:
        """Return the published posts discover has not shown the person (``seen``), with
        their expected engagement, best first: what the oracles choose from."""
        now = timezone.now()
        mine = person.user.pk
        return sorted(
            (
                (self.expected_engagement(person, pid), pid)
                for pid, at in self.published_at.items()
                if at <= now and pid not in seen and self.post_author[pid] != mine
            ),
            reverse=True,
        )

    def oracle(
        self, person: Person, size: int, scored: list[tuple[float, int]], tested: list[int] | None = None
    ) -> None:
        """Measure the best page the rules allow now: the *oracle*, an upper bound.

        It knows every hidden taste and every post's true quality, and serves the
        ``size`` posts with the highest expected engagement that discover has not shown
        this person yet (``scored``, from ``candidates``), under the same rules: at most
        ``FEED_MAX_PER_CHANNEL`` of one channel in the page and the exploration share
        outside the person's tastes. It tests no new post (discover must: that is how the pools fill), so no
        feed can match it; how close discover comes is
        ``ratio_ceiling.discover_share_of_oracle``.

        Given ``tested`` (the new posts discover's pool lane served on this page), it
        measures the *testing oracle* instead: those posts stay on the page, as they are
        what fills the pools, and the oracle chooses the rest. That is the most any feed
        can earn while it tests new posts as much as discover does.
        """
        k = engine_knobs()  # the run's: settings.ENGINE holds the scaled quotas and self.knobs
        kept = set(tested or ())
        scored = [(e, pid) for e, pid in scored if pid not in kept]
        explore = round(size * k["FEED_EXPLORATION_SHARE"])
        cap = k["FEED_MAX_PER_CHANNEL"] * max(1, size // max(1, k["FEED_CHANNEL_WINDOW"])) or size
        inside = [(e, pid) for e, pid in scored if self.post_channel[pid] in person.taste]
        outside = [(e, pid) for e, pid in scored if self.post_channel[pid] not in person.taste]
        per_channel: dict[int, int] = defaultdict(int)
        page: list[float] = []
        for pid in tested or ():
            per_channel[self.post_channel[pid]] += 1
            page.append(self.expected_engagement(person, pid))
        for e, pid in inside:
            if len(page) == size - explore:
                break
            if per_channel[self.post_channel[pid]] < cap:
                per_channel[self.post_channel[pid]] += 1
                page.append(e)
        page += [e for e, _ in outside[: size - len(page)]]
        self.engaged["oracle" if tested is None else "oracle testing"].extend(page)

    def scroll(self, person: Person) -> None:
        from feeds.services.discover import discover_page

        size = settings.ENGINE["FEED_PAGE_SIZE"] * self.pages
        # Scored once, before the page: both oracles choose from what the person had not
        # been shown when they opened the app (the clock does not move during a scroll).
        scored = self.candidates(person, self.served[person.user.pk])
        self.oracle(person, size, scored)
        tested: list[int] = []
        token = None
        for _ in range(self.pages):
            page = discover_page(person.user, token)
            events = []
            for item in page.items:
                pid = item.post.pk
                if pid not in self.truth:
                    continue  # a post from outside the simulated world
                self.served[person.user.pk].add(pid)
                if item.source == "pool":
                    tested.append(pid)
                engagement = self.expected_engagement(person, pid)
                channel = self.post_channel[pid]
                in_taste = channel in person.taste
                kind = "picked" if channel in person.picked else "unpicked" if in_taste else "outside"
                names = ["discover", f"lane:{item.source}", "taste:in" if in_taste else "taste:out"]
                # By hidden taste (and topic), over the whole run ("all") and per day.
                splits = [kind]
                favourite = self.favourite_topic(person, pid)
                if favourite is not None:
                    splits.append("topic:favourite" if favourite else "topic:other")
                names += [f"{period}:{split}" for period in ("all", f"day{self.day}") for split in splits]
                for name in names:
                    self.engaged[name].append(engagement)
                self.discover_channels[person.user.pk].append(self.top_of[self.post_channel[pid]])
                event = self.react(person, item.post)
                if event:
                    events.append(event)
            if events:
                content.events_ingest(user=person.user, events=events)
            token = page.next_cursor
            if not token:
                break
        self.oracle(person, size, scored, tested)

    def baselines(self, person: Person, size: int) -> None:
        """Measure the three baselines for this person now, without feeding the engine."""
        public = Post.objects.filter(status=Post.Status.PUBLISHED, pk__in=list(self.truth)).exclude(
            author_id=person.user.pk
        )
        orders = {
            "chronological": public.order_by("-published_at", "-pk"),
            "most_liked": public.order_by("-like_count", "-pk"),
        }
        for name, qs in orders.items():
            seen = self.baseline_seen[(name, person.user.pk)]
            ids = [pid for pid in qs.exclude(pk__in=seen).values_list("pk", flat=True)[:size]]
            seen.update(ids)
            self.engaged[name].extend(self.expected_engagement(person, pid) for pid in ids)
        seen = self.baseline_seen[("random", person.user.pk)]
        candidates = [pid for pid in self.truth if pid not in seen and self.post_author[pid] != person.user.pk]
        ids = self.rng.sample(candidates, min(size, len(candidates)))
        seen.update(ids)
        self.engaged["random"].extend(self.expected_engagement(person, pid) for pid in ids)

    # ---------------------------------------------------------------- the clock
    def run(self) -> dict:
        import tempfile

        import time_machine

        from feeds.services.coengagement import coengagement_recompute
        from feeds.services.hot import hot_and_trending_recompute
        from feeds.services.interests import interests_decay
        from feeds.services.learned import learned_train
        from feeds.services.pools import pools_evaluate
        from feeds.services.weights import weights_recompute

        start = timezone.now().replace(microsecond=0)
        tick = timedelta(minutes=30)
        ticks_per_day = 48
        # Passwords of simulated people never matter: hash them cheaply.
        fast_hash = ["django.contrib.auth.hashers.MD5PasswordHasher"]
        with tempfile.TemporaryDirectory() as media, override_settings(
            ENGINE={**scaled_engine(self.quota_scale), **self.knobs}, MEDIA_ROOT=media, PASSWORD_HASHERS=fast_hash
        ), time_machine.travel(start - timedelta(days=1), tick=False) as clock:
            self.build()
            # A day of posts before the clock starts, so the first feeds are not empty.
            for t in range(ticks_per_day):
                clock.move_to(start - timedelta(days=1) + t * tick)
                for _ in range(self._arrivals(t, ticks_per_day)):
                    self.publish(self.world.choice(self.authors))
                pools_evaluate()
            page_size = settings.ENGINE["FEED_PAGE_SIZE"]
            self.started = start
            for day in range(self.days):
                self.day = day
                for t in range(ticks_per_day):
                    now = start + (day * ticks_per_day + t) * tick
                    clock.move_to(now)
                    arrivals = self._arrivals(t, ticks_per_day)
                    for _ in range(arrivals):
                        self.publish(self.world.choice(self.authors))
                    # Each person opens the app `sessions` times a day, at random ticks.
                    for person in self.people:
                        if self.rng.random() < self.sessions / ticks_per_day:
                            self.scroll(person)
                            self.baselines(person, page_size * self.pages)
                    pools_evaluate()
                    if t % 2 == 1:
                        hot_and_trending_recompute()
                    if t % 4 == 3:
                        coengagement_recompute()
                clock.move_to(start + (day + 1) * ticks_per_day * tick - timedelta(seconds=1))
                weights_recompute()
                interests_decay()
                learned_train()
                self.progress(f"day {day + 1}/{self.days}: {len(self.truth)} posts, "
                              f"{len(self.engaged['discover'])} discover impressions")
            end = start + self.days * ticks_per_day * tick
            clock.move_to(end)
            pools_evaluate()
            return self.figures(end)

    def ratio_ceiling(self, most_liked: float, lanes: dict) -> dict:
        """Return how far the rules let discover go in this world.

        At most ``FEED_MAX_PER_CHANNEL`` items of one channel in any ``FEED_CHANNEL_WINDOW``
        means someone whose tastes span ``L`` channels with posts can have at most
        ``min(1, cap × L / window)`` of a feed in their tastes, whatever the ranking; the
        rest earns what their faint interest elsewhere gives.
        ``main_lane_everywhere_vs_most_liked`` is the ratio discover would reach if every
        slot the rule allows in someone's tastes earned what the main lane (the
        best-ranked, proven posts) earns; ``oracle_vs_most_liked`` is the measured
        ratio of the oracle (``oracle``): perfect knowledge under the same rules;
        ``oracle_testing_vs_most_liked`` that of the testing oracle, which keeps the new
        posts discover's pool lane tested on each page and chooses the rest: the most a
        feed that tests as much as discover does can earn.
        """
        k = engine_knobs()
        cap, window = k["FEED_MAX_PER_CHANNEL"], k["FEED_CHANNEL_WINDOW"]
        with_posts = set(self.post_channel.values())
        readers = [p for p in self.people if p.user.pk in self.discover_channels]
        capacity = statistics.fmean(
            min(1.0, cap * len(with_posts & set(p.taste)) / window) for p in readers
        ) if readers else 0.0
        inside, outside = self.engaged["taste:in"], self.engaged["taste:out"]
        main = lanes.get("main", {}).get("engagement", 0.0)
        elsewhere = _mean(outside)
        best = capacity * main + (1 - capacity) * elsewhere
        oracle, testing = _mean(self.engaged["oracle"]), _mean(self.engaged["oracle testing"])
        discover = _mean(self.engaged["discover"])
        return {
            "in_taste_capacity": round(capacity, 4),
            "in_taste_share": round(len(inside) / (len(inside) + len(outside)), 4) if inside or outside else None,
            "engagement_in_taste": round(statistics.fmean(inside), 4) if inside else None,
            "engagement_outside": round(elsewhere, 4),
            "main_lane_everywhere_vs_most_liked": round(best / most_liked, 2) if most_liked else None,
            "oracle_engagement": round(oracle, 4),
            "oracle_vs_most_liked": round(oracle / most_liked, 2) if most_liked else None,
            "discover_share_of_oracle": round(discover / oracle, 3) if oracle else None,
            "oracle_testing_engagement": round(testing, 4),
            "oracle_testing_vs_most_liked": round(testing / most_liked, 2) if most_liked else None,
            "discover_share_of_oracle_testing": round(discover / testing, 3) if testing else None,
        }

    def profile_topics(self, now: datetime) -> dict:
        """What the interest profiles learnt of people's topics: over every (person,
        sub-channel they like with posts) pair, the profile's normalised affinity (as the
        feeds read it) to their favourite topic's tag and to the others', and how often
        the favourite is the strongest of them where the profile holds any of them (1 /
        topics by chance)."""
        from content.models import Tag
        from feeds.services.discover import profile_of

        with_posts = set(self.post_channel.values())
        tag_id = dict(Tag.objects.values_list("name", "pk"))
        favourite, other, strongest, pairs, informed = [], [], 0, 0, 0
        k = engine_knobs()
        for person in self.people:
            leaves = [leaf for leaf in sorted(person.topics) if leaf in with_posts]
            if not leaves:
                continue
            profile, _, _ = profile_of(person.user.pk, k, now)
            for leaf in leaves:
                name = self.channel_by_id[leaf].name_zh
                values = [profile.tags.get(tag_id.get(name + TOPIC_SUFFIXES[t]), 0.0) for t in range(self.topics)]
                fav = values.pop(person.topics[leaf])
                favourite.append(fav)
                other.extend(values)
                pairs += 1
                if fav or any(values):  # the profile holds something about this channel's topics
                    informed += 1
                    strongest += fav > max(values)
        return {
            "pairs": pairs,
            "informed_pairs": informed,
            "favourite_is_strongest": round(strongest / informed, 4) if informed else None,
            "affinity_favourite": round(statistics.fmean(favourite), 4) if favourite else None,
            "affinity_other": round(statistics.fmean(other), 4) if other else None,
        }

    def _arrivals(self, t: int, ticks_per_day: int) -> int:
        expected = self.posts_per_day / ticks_per_day
        whole = int(expected)
        return whole + (1 if self.world.random() < expected - whole else 0)

    # ---------------------------------------------------------------- figures
    def figures(self, end: datetime) -> dict:
        def mean(values: list[float]) -> float:
            return round(_mean(values), 4)

        epi = {name: mean(self.engaged[name]) for name in ["discover", "chronological", "most_liked", "random"]}
        # New posts: published while the clock ran (not the backlog), a day or more ago.
        old_enough = [
            pid for pid, at in self.published_at.items() if self.started <= at <= end - timedelta(days=1)
        ]
        reached: dict[int, datetime] = {}
        for pid, at in PoolTransition.objects.filter(post_id__in=old_enough, to_tier__gte=2).values_list(
            "post_id", "created_at"
        ):
            reached[pid] = min(at, reached.get(pid, at))
        hq_new = [pid for pid in old_enough if self.truth[pid] >= HQ and self.post_author[pid] in self.zero_follower_authors]
        hq_reached = [pid for pid in hq_new if pid in reached and reached[pid] - self.published_at[pid] <= timedelta(days=1)]
        lq = [pid for pid in old_enough if self.truth[pid] <= LQ]
        stopped_tier0 = set(
            PoolEntry.objects.filter(post_id__in=lq, tier=0, state=PoolEntry.State.STOPPED).values_list(
                "post_id", flat=True
            )
        ) | set(PoolEntry.objects.filter(post_id__in=lq, state=PoolEntry.State.NOT_ENTERED).values_list("post_id", flat=True))
        per_user = []
        for channels in self.discover_channels.values():
            blocks = [channels[i : i + 100] for i in range(0, len(channels) - 99, 100)]
            if blocks:
                per_user.append(statistics.fmean(len(set(b)) for b in blocks))
        # Where the high-quality new posts got to within their first day, and how far.
        fates: dict[str, int] = defaultdict(int)
        for pid in hq_new:
            tiers = [t for t, at in PoolTransition.objects.filter(post_id=pid, to_tier__isnull=False)
                     .values_list("to_tier", "created_at") if at - self.published_at[pid] <= timedelta(days=1)]
            state = PoolEntry.objects.filter(post_id=pid).values_list("state", flat=True).first()
            fates[f"tier {max(tiers, default=0)} within a day, now {state}"] += 1
        # Where the low-quality new posts are at the end (tier and state).
        lq_fates: dict[str, int] = defaultdict(int)
        for tier, state in PoolEntry.objects.filter(post_id__in=lq).values_list("tier", "state"):
            lq_fates[f"tier {tier}, {state}"] += 1
        lanes = {name.split(":", 1)[1]: {"impressions": len(v), "engagement": mean(v)}
                 for name, v in self.engaged.items() if name.startswith("lane:")}
        ceiling = self.ratio_ceiling(epi["most_liked"], lanes)
        # Where discover's impressions went by hidden taste: the interests people picked at
        # sign-up, those they did not (only exploration can find them), everything else;
        # on the first and the last day too, which shows what the feed learnt meanwhile.
        kinds = ("picked", "unpicked", "outside")
        periods = {"all days": "all", "first day": "day0", "last day": f"day{self.days - 1}"}

        def by_taste(period: str) -> dict:
            total = sum(len(self.engaged[f"{period}:{kind}"]) for kind in kinds)
            return {kind: {"share": round(len(self.engaged[f"{period}:{kind}"]) / total, 4) if total else 0.0,
                           "engagement": mean(self.engaged[f"{period}:{kind}"])} for kind in kinds}

        taste = {label: by_taste(period) for label, period in periods.items()}
        # With topics: of discover's impressions in channels people like, the share on their
        # favourite topic of the channel (1 / topics by chance), overall, first and last day.
        topic_split = {}
        if self.topics:
            for label, period in periods.items():
                fav, other = self.engaged[f"{period}:topic:favourite"], self.engaged[f"{period}:topic:other"]
                topic_split[label] = {
                    "favourite_share": round(len(fav) / (len(fav) + len(other)), 4) if fav or other else 0.0,
                    "engagement_favourite": mean(fav), "engagement_other": mean(other),
                }
            topic_split["profile at the end"] = self.profile_topics(end)
        return {
            "engagement_per_impression": epi,
            "discover_by_lane": lanes,
            "discover_by_taste": taste,
            "discover_by_topic": topic_split,
            "high_quality_new_fates": dict(sorted(fates.items())),
            "low_quality_new_fates": dict(sorted(lq_fates.items())),
            "discover_vs_most_liked": round(epi["discover"] / epi["most_liked"], 2) if epi["most_liked"] else None,
            "high_quality_new_reached_tier2": round(len(hq_reached) / len(hq_new), 4) if hq_new else None,
            "low_quality_new_stopped_tier0": round(len(stopped_tier0) / len(lq), 4) if lq else None,
            "channels_per_100_items": round(statistics.fmean(per_user), 2) if per_user else None,
            "ratio_ceiling": ceiling,
            "samples": {
                "high_quality_new_posts": len(hq_new),
                "low_quality_new_posts": len(lq),
                "users_with_100_items": len(per_user),
                "discover_impressions": len(self.engaged["discover"]),
            },
            "world": {
                "users": self.n_users,
                "authors": self.n_authors,
                "zero_follower_authors": len(self.zero_follower_authors),
                "posts": len(self.truth),
                "days": self.days,
                "sessions_per_day": self.sessions,
                "pages_per_session": self.pages,
                "quota_scale": self.quota_scale,
                "unpicked_interests": list(self.unpicked),
                "topics_per_channel": self.topics,
                "topic_ratio": TOPIC_RATIO if self.topics else None,
                "opens": self.opens,
                "knobs": self.knobs,
            },
            "targets": {
                "discover_vs_most_liked": 2.0,
                "high_quality_new_reached_tier2": 0.8,
                "low_quality_new_stopped_tier0": 0.9,
                "channels_per_100_items": 5,
            },
        }
