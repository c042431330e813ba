"""Publishing, listing, editing and deleting posts through the REST API."""

from __future__ import annotations

import io
import random
import re
from datetime import UTC, datetime, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from accounts.models import User
from content.models import Post, PostImage, PostTag, Tag

pytestmark = pytest.mark.django_db

POSTS = "/api/v1/posts/"


def post_url(pk: int) -> str:
    return f"{POSTS}{pk}/"


def media_files(root) -> list:
    return sorted(p for p in root.rglob("*") if p.is_file())


def noisy_png(name="big.png", size=(64, 64), seed=1) -> SimpleUploadedFile:
    """A PNG of random pixels: it does not compress, so it is a few KB."""
    rng = random.Random(seed)
    img = Image.frombytes("RGB", size, rng.randbytes(size[0] * size[1] * 3))
    buffer = io.BytesIO()
    img.save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def text_file(name="notes.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, "这不是图片，只是一段文字。".encode(), content_type="image/png")


def note_form(image_file, **overrides) -> dict:
    form = {
        "kind": "note",
        "title": "上海咖啡探店",
        "body": "今天去了一家咖啡店，手冲咖啡很好喝",
        "channel": "food",
        "images": [image_file("a.png"), image_file("b.png", size=(30, 40))],
    }
    form.update(overrides)
    return {k: v for k, v in form.items() if v is not None}


def assert_nothing_stored(media_root, users_post_count=0, author=None):
    assert Post.objects.count() == 0
    assert PostImage.objects.count() == 0
    assert PostTag.objects.count() == 0
    assert media_files(media_root) == []
    if author is not None:
        author.refresh_from_db()
        assert author.post_count == users_post_count


def all_pages(client, url, params=None) -> list[dict]:
    rows, response = [], client.get(url, params or {})
    while True:
        assert response.status_code == 200
        rows += response.json()["results"]
        if not response.json()["next"]:
            return rows
        response = client.get(response.json()["next"])


# ---------------------------------------------------------------- publishing
def test_publishing_a_note_with_two_images(make_user, client_for, image_file, media_root):
    author = make_user("writer")

    response = client_for(author).post(
        POSTS, note_form(image_file, tags="周末,#Latte"), format="multipart"
    )

    assert response.status_code == 201, response.json()
    post = response.json()
    assert post["kind"] == "note"
    assert post["title"] == "上海咖啡探店"
    assert post["author"]["username"] == "writer"
    assert post["channel"]["slug"] == "food"
    assert post["status"] == "published"
    assert [(i["width"], i["height"]) for i in post["images"]] == [(64, 48), (30, 40)]
    for image in post["images"]:
        assert image["url"].startswith("http://testserver/media/images/")
    assert post["video"] is None
    tags = {t["name"]: t["source"] for t in post["tags"]}
    # The client chose its tags, so no keyword is added (docs/decisions/tags-suggested-not-forced.md).
    assert tags == {"周末": "author", "latte": "author"}

    assert len(media_files(media_root)) == 2
    author.refresh_from_db()
    assert author.post_count == 1
    assert Tag.objects.get(name="周末").post_count == 1


def test_publishing_a_video_reads_its_duration_and_makes_a_cover(
    make_user, client_for, video_file, media_root
):
    author = make_user()

    response = client_for(author).post(
        POSTS,
        {"kind": "video", "title": "西湖骑行", "body": "周末沿着西湖骑行", "channel": "travel", "video": video_file()},
        format="multipart",
    )

    assert response.status_code == 201, response.json()
    video = response.json()["video"]
    assert video["seconds"] == 8.0
    assert video["url"].startswith("http://testserver/media/videos/")
    assert video["cover"] and video["cover"].startswith("http://testserver/media/covers/")
    assert response.json()["images"] == []
    post = Post.objects.get()
    assert post.video_seconds == 8.0
    assert (media_root / post.cover.name).is_file()
    assert (media_root / post.video.name).is_file()


def test_a_video_keeps_the_cover_it_was_sent(make_user, client_for, video_file, image_file):
    response = client_for(make_user()).post(
        POSTS,
        {"kind": "video", "title": "猫咪日常", "channel": "cats", "video": video_file(), "cover": image_file("c.png", size=(90, 160))},
        format="multipart",
    )

    assert response.status_code == 201, response.json()
    cover = Post.objects.get().cover
    assert (cover.width, cover.height) == (90, 160)


def test_a_note_without_images_is_refused(make_user, client_for, media_root):
    author = make_user()

    response = client_for(author).post(POSTS, {"kind": "note", "title": "没有图", "channel": "food"}, format="multipart")

    assert response.status_code == 400
    assert "images" in response.json()["errors"]
    assert_nothing_stored(media_root, author=author)


def test_a_note_with_ten_images_is_refused(make_user, client_for, image_file, media_root):
    author = make_user()
    images = [image_file(f"p{i}.png") for i in range(10)]

    response = client_for(author).post(POSTS, note_form(image_file, images=images), format="multipart")

    assert response.status_code == 400
    assert "images" in response.json()["errors"]
    assert "9" in response.json()["detail"]
    assert_nothing_stored(media_root, author=author)


def test_a_text_file_sent_as_an_image_is_refused_and_nothing_is_written(
    make_user, client_for, image_file, media_root
):
    author = make_user()

    response = client_for(author).post(
        POSTS, note_form(image_file, images=[image_file("ok.png"), text_file("notes.png")]), format="multipart"
    )

    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert "无法读取图片 notes.png" in response.json()["detail"]
    assert any("无法读取图片" in m for m in response.json()["errors"]["images"])
    assert_nothing_stored(media_root, author=author)
    assert not Tag.objects.exists()


def test_an_oversize_image_is_refused_with_its_size(
    make_user, client_for, image_file, media_root, settings
):
    settings.UPLOADS = {**settings.UPLOADS, "IMAGE_MAX_BYTES": 1000}
    author = make_user()
    big = noisy_png("big.png")
    assert big.size > 1000

    response = client_for(author).post(POSTS, note_form(image_file, images=[big]), format="multipart")

    assert response.status_code == 400
    message = response.json()["detail"]
    assert "big.png 大小为 12" in message  # a noisy PNG of a dozen KB
    assert "KB" in message and "最大 1000 字节" in message
    assert_nothing_stored(media_root, author=author)


def test_the_size_message_tells_the_file_size_apart_from_the_limit(
    make_user, client_for, image_file, settings, media_root
):
    """A photo a little over the (default) 10 MB limit must not be called "10 MB, at most 10 MB"."""
    limit = settings.UPLOADS["IMAGE_MAX_BYTES"]
    photo = SimpleUploadedFile("photo.jpg", b"\xff" * (limit + limit // 30), content_type="image/jpeg")

    response = client_for(make_user()).post(POSTS, note_form(image_file, images=[photo]), format="multipart")

    assert response.status_code == 400
    message = response.json()["errors"]["images"][0]
    sizes = re.findall(r"大小为 ([\d.]+ [KM]?B).*最大 ([\d.]+ [KM]?B)", message)
    assert sizes, message
    file_size, max_size = sizes[0]
    assert file_size != max_size, f"the user is told the file is as big as the limit: {message!r}"
    assert_nothing_stored(media_root)


def test_a_fake_mp4_is_refused(make_user, client_for, media_root):
    author = make_user()
    fake = SimpleUploadedFile("clip.mp4", random.Random(7).randbytes(4096), content_type="video/mp4")

    response = client_for(author).post(
        POSTS, {"kind": "video", "title": "假视频", "channel": "film", "video": fake}, format="multipart"
    )

    assert response.status_code == 400
    assert "video" in response.json()["errors"]
    assert "clip.mp4 不是视频文件" in response.json()["detail"]
    assert_nothing_stored(media_root, author=author)


def test_a_video_is_judged_by_its_contents_not_its_name(make_user, client_for, video_file, media_root):
    response = client_for(make_user()).post(
        POSTS, {"kind": "video", "title": "视频", "channel": "film", "video": video_file("clip.exe")}, format="multipart"
    )

    assert response.status_code == 201, response.json()
    assert Post.objects.get().video.name.endswith(".mp4")


def test_a_note_with_a_video_is_refused(make_user, client_for, image_file, video_file, media_root):
    response = client_for(make_user()).post(
        POSTS, note_form(image_file, video=video_file()), format="multipart"
    )

    assert response.status_code == 400
    assert "video" in response.json()["errors"]
    assert_nothing_stored(media_root)


def test_latitude_without_longitude_is_refused(make_user, client_for, image_file, media_root):
    response = client_for(make_user()).post(
        POSTS, note_form(image_file, place_name="外滩", lat="31.24"), format="multipart"
    )

    assert response.status_code == 400
    assert "lat" in response.json()["errors"]
    assert_nothing_stored(media_root)


def test_a_latitude_past_the_pole_is_refused(make_user, client_for, image_file, media_root):
    response = client_for(make_user()).post(
        POSTS, note_form(image_file, place_name="北极", lat="95", lng="10"), format="multipart"
    )

    assert response.status_code == 400
    assert "lat" in response.json()["errors"]
    assert_nothing_stored(media_root)


def test_a_place_is_stored_with_both_coordinates(make_user, client_for, image_file):
    response = client_for(make_user()).post(
        POSTS, note_form(image_file, place_name="外滩", lat="31.24", lng="121.49"), format="multipart"
    )

    assert response.status_code == 201
    assert response.json()["place"] == {"name": "外滩", "lat": 31.24, "lng": 121.49}


def test_an_anonymous_visitor_cannot_publish(api, image_file, channels, media_root):
    response = api.post(POSTS, note_form(image_file), format="multipart")

    assert response.status_code == 401
    assert_nothing_stored(media_root)


def test_an_unknown_channel_is_refused(make_user, client_for, image_file, media_root):
    response = client_for(make_user()).post(
        POSTS, note_form(image_file, channel="no-such-channel"), format="multipart"
    )

    assert response.status_code == 400
    assert "channel" in response.json()["errors"]
    assert_nothing_stored(media_root)


def test_a_post_needs_a_title_or_text(make_user, client_for, image_file, media_root):
    response = client_for(make_user()).post(
        POSTS, note_form(image_file, title="  ", body=""), format="multipart"
    )

    assert response.status_code == 400
    assert_nothing_stored(media_root)


# ---------------------------------------------------------------- listing and filters
def ids(response) -> set[int]:
    assert response.status_code == 200, response.content
    return {p["id"] for p in response.json()["results"]}


def test_filtering_by_channel_includes_its_sub_channels(api, make_post):
    coffee = make_post(channel="restaurants", title="探店咖啡")
    bread = make_post(channel="baking", title="烘焙面包")
    trip = make_post(channel="travel", title="周末旅行")

    assert ids(api.get(POSTS, {"channel": "food"})) == {coffee.pk, bread.pk}
    assert ids(api.get(POSTS, {"channel": "restaurants"})) == {coffee.pk}
    assert ids(api.get(POSTS, {"channel": "travel"})) == {trip.pk}
    assert ids(api.get(POSTS, {"channel": "no-such-channel"})) == set()


def test_filtering_by_tag_author_and_kind(api, make_user, make_post, video_file):
    alice, bob = make_user("alice"), make_user("bob")
    tagged = make_post(alice, tags=["周末"])
    plain = make_post(bob, title="家常菜", body="番茄炒蛋")
    clip = make_post(bob, kind="video", title="做饭视频", images=[], video=video_file())

    assert ids(api.get(POSTS, {"tag": "周末"})) == {tagged.pk}
    assert ids(api.get(POSTS, {"author": "bob"})) == {plain.pk, clip.pk}
    assert ids(api.get(POSTS, {"kind": "video"})) == {clip.pk}
    assert ids(api.get(POSTS, {"kind": "note"})) == {tagged.pk, plain.pk}
    assert ids(api.get(POSTS, {"author": "bob", "kind": "note"})) == {plain.pk}


def test_filtering_by_creation_time(api, make_post):
    old, mid, new = make_post(title="一月"), make_post(title="二月"), make_post(title="三月")
    for post, month in ((old, 1), (mid, 2), (new, 3)):
        Post.objects.filter(pk=post.pk).update(created_at=datetime(2024, month, 10, tzinfo=UTC))

    assert ids(api.get(POSTS, {"created_after": "2024-02-01T00:00:00Z"})) == {mid.pk, new.pk}
    assert ids(api.get(POSTS, {"created_before": "2024-02-01T00:00:00Z"})) == {old.pk}
    assert ids(
        api.get(POSTS, {"created_after": "2024-01-15T00:00:00Z", "created_before": "2024-03-01T00:00:00Z"})
    ) == {mid.pk}


def test_an_invalid_kind_filter_is_a_bad_request(api, make_post):
    make_post()

    response = api.get(POSTS, {"kind": "podcast"})

    assert response.status_code == 400
    assert "kind" in response.json()["errors"]


def test_paging_two_at_a_time_visits_every_post_once(api, make_user, make_post):
    author = make_user()
    posts = [make_post(author, title=f"第{i}篇") for i in range(7)]
    # three of them share one creation instant, as a bulk import would leave them
    same = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)
    Post.objects.filter(pk__in=[p.pk for p in posts[2:5]]).update(created_at=same)

    rows = all_pages(api, POSTS, {"page_size": 2})

    seen = [r["id"] for r in rows]
    assert len(seen) == len(set(seen)) == 7
    assert set(seen) == {p.pk for p in posts}
    created = [r["created_at"] for r in rows]
    assert created == sorted(created, reverse=True)


def test_the_list_and_detail_show_counts_and_media(api, make_post):
    post = make_post(title="上海咖啡探店")

    detail = api.get(post_url(post.pk))

    assert detail.status_code == 200
    body = detail.json()
    assert body["counts"] == {"likes": 0, "favourites": 0, "comments": 0, "shares": 0, "views": 0}
    assert body["viewer"] == {"liked": False, "favourited": False}
    assert len(body["images"]) == 1
    assert body["web_url"].endswith(f"/p/{post.pk}/")


# ---------------------------------------------------------------- editing and deleting
def test_editing_my_title_re_extracts_the_tags(make_user, make_post, client_for):
    author = make_user()
    post = make_post(author, title="上海咖啡探店", body="手冲咖啡很好喝", tags=["周末"])
    assert PostTag.objects.filter(post=post, tag__name="咖啡", source="extracted").exists()

    response = client_for(author).patch(
        post_url(post.pk), {"title": "北京烤鸭攻略", "body": "烤鸭皮脆肉嫩，这家烤鸭店要排队"}, format="json"
    )

    assert response.status_code == 200
    assert response.json()["title"] == "北京烤鸭攻略"
    tags = {t["name"]: t["source"] for t in response.json()["tags"]}
    assert tags["周末"] == "author"
    assert tags.get("烤鸭") == "extracted" or tags.get("北京烤鸭") == "extracted"
    assert "咖啡" not in tags
    assert Tag.objects.get(name="咖啡").post_count == 0
    post.refresh_from_db()
    assert post.title == "北京烤鸭攻略"


def test_editing_only_the_title_keeps_the_body(make_user, make_post, client_for):
    author = make_user()
    post = make_post(author, title="上海咖啡探店", body="手冲咖啡很好喝")

    response = client_for(author).patch(post_url(post.pk), {"title": "西湖骑行"}, format="json")

    assert response.status_code == 200
    post.refresh_from_db()
    assert (post.title, post.body) == ("西湖骑行", "手冲咖啡很好喝")
    names = set(post.tags.values_list("name", flat=True))
    assert "骑行" in names or "西湖" in names


def test_editing_someone_elses_post_is_forbidden_and_changes_nothing(make_user, make_post, client_for):
    post = make_post(make_user("owner"), title="上海咖啡探店")
    tags_before = set(PostTag.objects.filter(post=post).values_list("tag__name", "source"))

    response = client_for(make_user("intruder")).patch(post_url(post.pk), {"title": "被改了"}, format="json")

    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"
    post.refresh_from_db()
    assert post.title == "上海咖啡探店"
    assert set(PostTag.objects.filter(post=post).values_list("tag__name", "source")) == tags_before


def test_deleting_someone_elses_post_is_forbidden(make_user, make_post, client_for):
    owner = make_user("owner")
    post = make_post(owner)

    response = client_for(make_user("intruder")).delete(post_url(post.pk))

    assert response.status_code == 403
    assert Post.objects.filter(pk=post.pk).exists()
    owner.refresh_from_db()
    assert owner.post_count == 1


def test_deleting_my_post_removes_it_and_my_post_count(make_user, make_post, client_for, api):
    author = make_user()
    post = make_post(author)
    keep = make_post(author, title="另一篇")
    author.refresh_from_db()
    assert author.post_count == 2
    coffee_before = Tag.objects.get(name="咖啡").post_count

    response = client_for(author).delete(post_url(post.pk))

    assert response.status_code == 204
    assert not Post.objects.filter(pk=post.pk).exists()
    assert Post.objects.filter(pk=keep.pk).exists()
    author.refresh_from_db()
    assert author.post_count == 1
    assert Tag.objects.get(name="咖啡").post_count == coffee_before - 1
    assert api.get(post_url(post.pk)).status_code == 404


def test_an_anonymous_visitor_cannot_delete(api, make_post):
    post = make_post()
    assert api.delete(post_url(post.pk)).status_code == 401
    assert Post.objects.filter(pk=post.pk).exists()


@pytest.mark.parametrize("status", ["removed", "pending"])
def test_hidden_posts_are_not_found_by_others_but_seen_by_their_author(
    status, make_user, make_post, client_for, api
):
    author = make_user("author")
    post = make_post(author)
    Post.objects.filter(pk=post.pk).update(status=status, status_reason="违反社区规范")
    other = client_for(make_user("other"))

    assert api.get(post_url(post.pk)).status_code == 404
    assert other.get(post_url(post.pk)).status_code == 404
    assert post.pk not in ids(other.get(POSTS))
    assert post.pk not in ids(other.get(POSTS, {"author": "author"}))
    assert other.post(f"{post_url(post.pk)}like/").status_code == 404

    mine = client_for(author).get(post_url(post.pk))
    assert mine.status_code == 200
    assert mine.json()["status"] == status
    assert mine.json()["status_reason"] == "违反社区规范"
    assert post.pk in ids(client_for(author).get(POSTS, {"author": "author"}))


def test_a_limited_post_shows_on_the_profile_but_not_in_the_main_list(make_user, make_post, api):
    post = make_post(make_user("author"))
    Post.objects.filter(pk=post.pk).update(status="limited")

    assert api.get(post_url(post.pk)).status_code == 200
    assert post.pk not in ids(api.get(POSTS))
    assert post.pk in ids(api.get(POSTS, {"author": "author"}))


def test_posts_of_a_deactivated_author_disappear(make_user, make_post, api):
    author = make_user("gone")
    post = make_post(author)
    User.objects.filter(pk=author.pk).update(is_active=False)

    assert api.get(post_url(post.pk)).status_code == 404
    assert post.pk not in ids(api.get(POSTS))


def test_timestamps_come_back_in_iso_format(api, make_post):
    make_post()
    row = api.get(POSTS).json()["results"][0]
    parsed = datetime.fromisoformat(row["created_at"].replace("Z", "+00:00"))
    assert abs(parsed - datetime.now(UTC)) < timedelta(minutes=5)


def test_a_banned_user_cannot_publish(make_user, client_for, image_file, media_root):
    author = make_user()
    User.objects.filter(pk=author.pk).update(is_banned=True)

    response = client_for(author).post(POSTS, note_form(image_file), format="multipart")

    # A banned account's token no longer authenticates at all, and says why.
    assert response.status_code == 401
    assert response.json()["detail"] == "该账号已被封禁。"
    assert_nothing_stored(media_root)
