"""The API keeps its conventions at run time too (docs/api.md, "Conventions"): one content
type per body, one page shape and one bad-cursor answer on every list, one error shape,
the token as a bearer."""

from urllib.parse import parse_qs, urlsplit

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from content.models import Comment, Post

pytestmark = pytest.mark.django_db

PAGED_LISTS = [
    "/api/v1/posts/",
    "/api/v1/tags/",
    "/api/v1/users/{username}/followers/",
    "/api/v1/users/{username}/following/",
    "/api/v1/users/{username}/favourites/",
    "/api/v1/users/{username}/likes/",
    "/api/v1/notifications/",
    "/api/v1/me/blocks/",
    "/api/v1/not-interested/",
    "/api/v1/wallet/",
    "/api/v1/boosts/",
    "/api/v1/creator/posts/",
    "/api/v1/creator/shop/",
    "/api/v1/products/",
    "/api/v1/orders/",
    "/api/v1/feeds/discover/",
    "/api/v1/feeds/follow/",
    "/api/v1/feeds/hot/",
    "/api/v1/feeds/channels/food/",
    "/api/v1/search/?q=咖啡",
]


@pytest.mark.parametrize("path", PAGED_LISTS)
def test_every_list_pages_the_same_way(path, make_user, make_post, client_for):
    """results, next_cursor and next; ``size`` honoured; the cursor leads to the next page;
    a bad cursor and a bad size are the same 400 everywhere."""
    user = make_user("reader")
    for _ in range(3):
        make_post(title="咖啡 一杯")
    client = client_for(user)
    path = path.format(username=user.username)
    joiner = "&" if "?" in path else "?"

    items = "posts" if path.startswith("/api/v1/search/") else "results"  # search's own page
    page = client.get(f"{path}{joiner}size=1")
    assert page.status_code == 200, page.content
    body = page.json()
    assert {items, "next_cursor", "next"} <= set(body)
    assert "previous" not in body
    if body["next_cursor"]:
        assert len(body[items]) == 1
        assert parse_qs(urlsplit(body["next"]).query)["cursor"] == [body["next_cursor"]]
        following = client.get(f"{path}{joiner}size=1&cursor={body['next_cursor']}")
        assert following.status_code == 200
    else:
        assert body["next"] is None

    bad_cursor = client.get(f"{path}{joiner}cursor=not-a-cursor")
    assert bad_cursor.status_code == 400
    assert bad_cursor.json()["code"] == "invalid"
    assert list(bad_cursor.json()["errors"]) == ["cursor"]

    for size in ("0", "51", "many"):
        bad_size = client.get(f"{path}{joiner}size={size}")
        assert bad_size.status_code == 400, (size, bad_size.content)
        assert list(bad_size.json()["errors"]) == ["size"]


def test_a_json_body_is_the_only_one_a_json_endpoint_takes(make_user, make_post, client_for):
    post = make_post()
    client = client_for(make_user())

    form = client.post(f"/api/v1/posts/{post.pk}/comments/", {"body": "好"}, format="multipart")

    assert form.status_code == 415
    assert form.json()["code"] == "unsupported_media_type"
    assert not Comment.objects.exists()
    assert client.post(f"/api/v1/posts/{post.pk}/comments/", {"body": "好"}).status_code == 201


def test_the_token_endpoint_takes_json_only_and_no_credentials(make_user, api):
    make_user("alice")

    form = api.post(
        "/api/v1/auth/token/",
        {"username": "alice", "password": "s3cret-pass-99"},
        format="multipart",
    )
    token = api.post("/api/v1/auth/token/", {"username": "alice", "password": "s3cret-pass-99"})

    assert form.status_code == 415
    assert token.status_code == 200
    assert token["Content-Type"] == "application/json"
    assert set(token.json()) == {"token", "username"}


def test_publishing_takes_multipart_only(make_user, client_for):
    client = client_for(make_user())

    answer = client.post("/api/v1/posts/", {"kind": "note", "channel": "food", "title": "咖啡"})

    assert answer.status_code == 415
    assert not Post.objects.exists()


def test_the_avatar_is_set_by_its_own_multipart_endpoint(
    make_user, client_for, image_file, media_root
):
    user = make_user()
    client = client_for(user)

    answer = client.put("/api/v1/me/avatar/", {"avatar": image_file("me.png")}, format="multipart")
    ignored = client.patch(
        "/api/v1/me/", {"avatar": "avatars/elsewhere.png", "bio": "你好"}, format="json"
    )

    assert answer.status_code == 200
    assert answer.json()["avatar"]
    user.refresh_from_db()
    assert user.avatar.name.startswith("avatars/") and user.avatar.name != "avatars/elsewhere.png"
    assert ignored.status_code == 200 and user.bio == "你好"


def test_options_on_the_avatar_endpoint_describes_it(make_user, client_for):
    """Found by bin/fuzz: OPTIONS looked for a queryset the view has not (a 500)."""
    answer = client_for(make_user()).options("/api/v1/me/avatar/")

    assert answer.status_code == 200
    assert "avatar" in answer.json()["actions"]["PUT"]


@pytest.mark.parametrize("keyword", ["Bearer", "Token", "bearer"])
def test_the_token_works_as_a_bearer_and_as_drf_token(keyword, make_user):
    user = make_user("bob")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"{keyword} {Token.objects.create(user=user).key}")

    assert client.get("/api/v1/me/").json()["username"] == "bob"


def test_an_unknown_scheme_is_not_signed_in(make_user):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Basic {Token.objects.create(user=make_user()).key}")

    answer = client.get("/api/v1/me/")

    assert answer.status_code in (401, 403)
    assert answer.json()["code"] == "not_authenticated"


def test_field_errors_are_always_lists_of_messages_under_dotted_keys(make_user, client_for):
    client = client_for(make_user())

    nested = client.post("/api/v1/events/", {"events": [{"post": 1}, {"post": "x", "seconds": -1}]})
    view_raised = client.get("/api/v1/feeds/hot/?channel=nowhere")

    assert nested.status_code == 400
    assert set(nested.json()["errors"]) == {"events.1.post", "events.1.seconds"}
    assert nested.json()["detail"].startswith("events.1.")
    assert view_raised.json()["errors"] == {"channel": ["没有这个频道：nowhere。"]}
    for answer in (nested, view_raised):
        for messages in answer.json()["errors"].values():
            assert isinstance(messages, list) and all(isinstance(m, str) for m in messages)


def test_framework_messages_are_chinese(api):
    answer = api.get("/api/v1/me/")
    missing = api.get("/api/v1/posts/999999/")

    assert answer.json()["detail"] == "身份认证信息未提供。"
    assert missing.json() == {"detail": "未找到。", "code": "not_found"}
