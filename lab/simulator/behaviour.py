"""How the simulated people behave: what they engage with, how they scroll discover,
and the three baselines measured on the same people at the same moments."""

from __future__ import annotations

from django.conf import settings

from content import services as content
from content.models import Post
from feeds.services.discover import discover_page
from lab.simulator.world import DEFAULT_TASTE, LQ, Person

# Opening a card (``opens``): probability OPEN_BASE + OPEN_TASTE · taste · (0.5 + 0.5 · quality).
OPEN_BASE, OPEN_TASTE = 0.02, 0.3


class Behaviour:
    """Reactions, scrolling and the baselines (state lives on the ``Simulation``)."""

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

    def scroll(self, person: Person) -> None:
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
                kind = (
                    "picked" if channel in person.picked else "unpicked" if in_taste else "outside"
                )
                names = ["discover", f"lane:{item.source}", "taste:in" if in_taste else "taste:out"]
                # By hidden taste (and topic), over the whole run ("all") and per day.
                splits = [kind]
                favourite = self.favourite_topic(person, pid)
                if favourite is not None:
                    splits.append("topic:favourite" if favourite else "topic:other")
                names += [
                    f"{period}:{split}" for period in ("all", f"day{self.day}") for split in splits
                ]
                for name in names:
                    self.engaged[name].append(engagement)
                self.discover_channels[person.user.pk].append(self.top_of[self.post_channel[pid]])
                event = self.react(person, item.post)
                self.shop(person, item.post)
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
            self.shop_baseline(name, person, ids)
        seen = self.baseline_seen[("random", person.user.pk)]
        candidates = [
            pid for pid in self.truth if pid not in seen and self.post_author[pid] != person.user.pk
        ]
        ids = self.rng.sample(candidates, min(size, len(candidates)))
        seen.update(ids)
        self.engaged["random"].extend(self.expected_engagement(person, pid) for pid in ids)
        self.shop_baseline("random", person, ids)
