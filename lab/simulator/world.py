"""The simulated world: people with hidden tastes, authors of hidden quality, new posts."""

from __future__ import annotations

import random
import statistics
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts import services as accounts
from accounts.models import User
from content import services as content
from content.models import Channel, Post

HQ, LQ = 0.7, 0.3  # true quality at or above / at or below: high / low quality
# Topic tags of a sub-channel (``topics``): its name and one of these, e.g. 烘焙新手.
TOPIC_SUFFIXES = ("新手", "进阶", "好物", "攻略", "合集", "测评")
TOPIC_RATIO = 3.0  # a person's favourite topic of a channel against each other topic of it
DEFAULT_TASTE = 0.02  # a faint interest in every channel outside one's tastes


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


class World:
    """Build the world and publish its posts (state lives on the ``Simulation``)."""

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
        return {
            leaf: w
            for top, w in zip(tops, [1.0, 0.8, 0.6], strict=True)
            for leaf in self.groups[top]
        }

    def _unpicked(self, picked: dict[int, float]) -> dict[int, float]:
        """Interests the person has but did not pick: channels outside the picked ones."""
        mine = {self.top_of[leaf] for leaf in picked}
        others = [top for top in sorted(self.groups) if top not in mine]
        tops = self.hidden.sample(others, min(len(others), len(self.unpicked)))
        return {
            leaf: w
            for top, w in zip(tops, self.unpicked, strict=False)
            for leaf in self.groups[top]
        }

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
                person.topics = {
                    leaf: self.topic_rng.randrange(self.topics) for leaf in sorted(person.taste)
                }
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
        self.zero_follower_authors = {a.user.pk for a in self.authors[len(established) :]}
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
            author=author.user,
            kind="note",
            channel=channel,
            title=f"{channel.name_zh}日记 {self.text_counter}",
            body=self._text(),
            tags=tags,
            images=[image],
        )
        if topic is not None:
            self.post_topic[post.pk] = topic
        quality = min(1.0, max(0.0, author.quality + self.world.gauss(0, 0.08)))
        self.truth[post.pk] = quality
        self.post_channel[post.pk] = channel.pk
        self.post_author[post.pk] = author.user.pk
        self.published_at[post.pk] = post.published_at
        self.maybe_sell(author, post)
        return post

    def _arrivals(self, t: int, ticks_per_day: int) -> int:
        expected = self.posts_per_day / ticks_per_day
        whole = int(expected)
        return whole + (1 if self.world.random() < expected - whole else 0)
