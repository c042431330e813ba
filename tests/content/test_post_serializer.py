"""``PostSerializer`` builds a post directly (fast); it must say exactly what DRF's own
field-by-field walk over the declared fields says, for every kind of post and viewer."""

from __future__ import annotations

import pytest
from rest_framework import serializers
from rest_framework.test import APIRequestFactory

from accounts import services as accounts
from content.models import Post
from content.selectors import ViewerState, posts_with_cards
from content.serializers import PostSerializer

pytestmark = pytest.mark.django_db


def drf_walk(serializer: PostSerializer, post: Post) -> dict:
    return dict(serializers.ModelSerializer.to_representation(serializer, post))


def test_the_fast_post_shape_is_the_declared_one(make_user, make_post, video_file, image_file):
    author = make_user("writer")
    accounts.profile_update(user=author, display_name="写手", avatar=image_file("me.png"))
    plain = make_user("plain")
    posts = [
        make_post(author, channel="baking", tags=["面包", "早餐"], place_name="外滩", lat=31.24, lng=121.49),
        make_post(plain, channel="food", title="", body="只有正文"),
        make_post(author, channel="games", kind="video", images=[], video=video_file()),
    ]
    Post.objects.filter(pk=posts[1].pk).update(status=Post.Status.LIMITED, status_reason="低质内容")
    request = APIRequestFactory().get("/api/v1/feeds/discover/", HTTP_HOST="testserver")
    for viewer in (author, plain):
        request.user = viewer
        state = ViewerState(liked={posts[0].pk}, favourited={posts[2].pk})
        for context in ({}, {"request": request}, {"request": request, "viewer_state": state}):
            for post in posts_with_cards().filter(pk__in=[p.pk for p in posts]):
                serializer = PostSerializer(context=context)
                fast = serializer.to_representation(post)
                assert list(fast) == PostSerializer.Meta.fields
                assert fast == drf_walk(serializer, post), (post.title, context)
