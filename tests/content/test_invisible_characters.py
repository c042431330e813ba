"""Zero-width and bidi control characters cannot split a tag or hide in a title."""

from content.models import Post, Tag

ZWSP, RLO = "\u200b", "\u202e"


def publish(client, channel: str, image, **fields):
    return client.post(
        "/api/v1/posts/",
        {"kind": "note", "channel": channel, "images": [image], **fields},
        format="multipart",
    )


def test_a_tag_with_a_zero_width_space_is_the_same_tag(make_user, client_for, image_file):
    client = client_for(make_user())

    publish(client, "food", image_file(), title="早午餐", tags=["brunch"])
    publish(client, "food", image_file(), title="早午餐二", tags=[f"brun{ZWSP}ch"])

    assert Tag.objects.get(name="brunch").post_count == 2
    assert not Tag.objects.filter(name__contains=ZWSP).exists()


def test_a_tag_with_a_right_to_left_override_is_the_same_tag(make_post):
    make_post(tags=["周末"])
    make_post(tags=[f"{RLO}周末"], body=f"#{RLO}周末 出去玩")

    assert Tag.objects.get(name="周末").post_count == 2
    assert not Tag.objects.filter(name__contains=RLO).exists()


def test_a_title_keeps_no_bidi_override_or_zero_width_space(make_user, client_for, image_file):
    response = publish(
        client_for(make_user()), "food", image_file(), title=f"{RLO}上海{ZWSP}咖啡探店"
    )

    assert response.status_code == 201
    assert response.json()["title"] == "上海咖啡探店"


def test_an_edited_title_keeps_no_bidi_override(make_user, make_post, client_for):
    author = make_user()
    post = make_post(author)

    client_for(author).patch(
        f"/api/v1/posts/{post.pk}/", {"title": f"北京{RLO}烤鸭"}, format="json"
    )

    post.refresh_from_db()
    assert post.title == "北京烤鸭"


def test_the_web_publish_form_drops_invisible_characters_from_title_and_tags(
    client, make_user, channels, image_file
):
    client.force_login(make_user())

    client.post(
        "/publish/",
        {
            "kind": "note",
            "title": f"周末{ZWSP}烘焙{RLO}",
            "body": "第一次做戚风蛋糕",
            "channel": channels["baking"].pk,
            "tags": f"烘{ZWSP}焙",
            "images": [image_file()],
        },
    )

    post = Post.objects.get()
    assert post.title == "周末烘焙"
    assert "烘焙" in set(post.tags.values_list("name", flat=True))
