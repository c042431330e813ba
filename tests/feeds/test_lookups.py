"""``__any_of``: the id-list lookup the discover feed's candidate queries use."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from content.models import Post
from feeds.models import PoolEntry


def test_any_of_finds_exactly_the_listed_posts(make_post):
    a, b, c = make_post(), make_post(), make_post()

    assert set(
        Post.objects.filter(pk__any_of=[a.pk, c.pk, 10**9]).values_list("pk", flat=True)
    ) == {a.pk, c.pk}
    assert set(Post.objects.exclude(pk__any_of=[a.pk]).values_list("pk", flat=True)) == {b.pk, c.pk}
    assert not Post.objects.filter(pk__any_of=[]).exists()
    # Through a one-to-one key too (pool entries by post).
    entries = PoolEntry.objects.filter(post_id__any_of=[b.pk]).values_list("post_id", flat=True)
    assert list(entries) == list(
        PoolEntry.objects.filter(post_id=b.pk).values_list("post_id", flat=True)
    )


def test_any_of_sends_a_long_id_list_as_one_array_on_postgresql(make_post):
    post = make_post()
    ids = [post.pk, *range(10**8, 10**8 + 999)]
    with CaptureQueriesContext(connection) as captured:
        assert list(Post.objects.filter(pk__any_of=ids).values_list("pk", flat=True)) == [post.pk]
    sql = captured.captured_queries[-1]["sql"]
    if connection.vendor == "postgresql":
        assert "= ANY(" in sql and " IN (" not in sql
    else:
        assert " IN (" in sql
