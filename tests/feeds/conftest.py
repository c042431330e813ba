"""Helpers for engine scenarios: show posts to people and record what they did."""

from __future__ import annotations

from datetime import timedelta

import pytest

from content.models import Event


@pytest.fixture
def audience(db):
    """Create ``n`` plain viewers quickly (bulk, no onboarding)."""
    from accounts.models import User

    made = {"n": 0}

    def make(n: int):
        start = made["n"]
        made["n"] += n
        users = [User(username=f"viewer{start + i}", password="!") for i in range(n)]
        User.objects.bulk_create(users)
        return list(User.objects.filter(username__in=[u.username for u in users]).order_by("pk"))

    return make


@pytest.fixture
def show():
    """Record what happened when a post was shown: impressions and reactions as events."""

    def record(post, viewers, *, likes=0, comments=0, favourites=0, shares=0, reports=0,
               quick_skips=0, completions=0, at=None):
        if at is None:  # just after the post entered its current tier
            at = type(post).objects.get(pk=post.pk).pool.tier_entered_at + timedelta(microseconds=1)
        rows = []
        for i, user in enumerate(viewers):
            when = at + timedelta(microseconds=i)
            rows.append(Event(user=user, post=post, kind=Event.Kind.IMPRESSION, source="test", created_at=when))
        for kind, n in [("like", likes), ("comment", comments), ("favourite", favourites),
                        ("share", shares), ("report", reports)]:
            rows += [Event(user=viewers[i % len(viewers)], post=post, kind=kind, created_at=at) for i in range(n)]
        rows += [Event(user=viewers[i], post=post, kind="view", seconds=0.5, created_at=at) for i in range(quick_skips)]
        rows += [Event(user=viewers[i], post=post, kind="view", seconds=60, completed=True, created_at=at)
                 for i in range(completions)]
        Event.objects.bulk_create(rows, batch_size=2000)

    return record


GOOD_BODY = "周末在武康路发现一家安静的咖啡店，手冲很香，拿铁奶泡细腻，店员推荐的肉桂卷也很好吃，适合一个人看书。"

