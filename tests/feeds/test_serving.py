"""Serving a page: impressions count distinct viewers, and what was served is seen."""

from __future__ import annotations

import pytest

from content.models import Event
from feeds import stores
from feeds.services.serving import serve

pytestmark = pytest.mark.django_db


def test_a_page_served_twice_to_one_person_counts_each_post_once(make_user, publish, redis_conn):
    author = make_user("served-author")
    posts = [publish(author, "food").pk for _ in range(3)]
    reader, other = make_user("reader"), make_user("other-reader")

    assert serve(reader, posts[:2], "discover") == 2
    assert serve(reader, posts, "discover") == 1, "only the post not served before is new"
    assert serve(other, posts, "discover") == 3, "another person is another viewer"
    impressions = Event.objects.filter(kind=Event.Kind.IMPRESSION, post_id__in=posts)
    assert impressions.filter(user=reader).count() == 3
    assert impressions.count() == 6
    assert {int(m) for m in redis_conn.zrange(stores.seen_key(reader.pk), 0, -1)} == set(posts)
