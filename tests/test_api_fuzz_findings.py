"""What fuzzing the live API against its schema found (bin/fuzz), kept fixed.

Each test is one request a client may send; the answer is a clear 4xx in the shape the
schema documents, never a 500. These run on SQLite and on PostgreSQL (the CI lanes):
two of them failed only on one of the two.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from content.models import Post

pytestmark = pytest.mark.django_db

BIG = 2**70


def test_a_time_filter_with_a_far_offset_means_the_same_instant(api, make_post):
    post = make_post()
    Post.objects.filter(pk=post.pk).update(created_at=datetime(2024, 2, 10, tzinfo=UTC))

    # 2024-02-10T12:00+19:08 is 2024-02-09T16:52Z; PostgreSQL refuses the raw offset.
    after = api.get("/api/v1/posts/", {"created_after": "2024-02-10T12:00:00+19:08"})
    before = api.get("/api/v1/posts/", {"created_before": "2024-02-10T12:00:00+19:08"})

    assert after.status_code == 200 and before.status_code == 200
    assert [p["id"] for p in after.json()["results"]] == [post.pk]
    assert [p["id"] for p in before.json()["results"]] == []


def test_a_time_filter_outside_the_calendar_is_a_bad_request(api):
    response = api.get("/api/v1/posts/", {"created_after": "0001-01-01T00:30:00+05:00"})

    assert response.status_code == 400
    assert response.json()["code"] == "invalid"


def test_an_event_for_a_post_id_beyond_any_row_is_a_bad_request(make_user, client_for):
    response = client_for(make_user()).post(
        "/api/v1/events/", {"events": [{"post": BIG, "seconds": 3}]}, format="json"
    )

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["events.0.post"]  # nested errors as dotted keys


def test_a_reply_to_a_comment_id_beyond_any_row_is_a_bad_request(make_user, make_post, client_for):
    post = make_post()
    response = client_for(make_user()).post(
        f"/api/v1/posts/{post.pk}/comments/", {"body": "好", "parent": BIG}, format="json"
    )

    assert response.status_code == 400


def test_removing_a_not_interested_mark_by_a_word_is_a_json_404(make_user, client_for):
    response = client_for(make_user()).delete("/api/v1/not-interested/null,null/")

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_asking_for_a_token_with_a_json_list_is_a_bad_request(api, make_user):
    make_user("bob")

    response = api.post("/api/v1/auth/token/", [{"username": "bob"}], format="json")

    assert response.status_code == 400


def test_options_on_my_interests_describes_the_endpoint(make_user, client_for):
    response = client_for(make_user()).options("/api/v1/me/interests/")

    assert response.status_code == 200
    assert "PUT" in response.json()["actions"]


def test_an_unknown_api_address_answers_json(api):
    response = api.get("/api/v1/users/a/b/c/")

    assert response.status_code == 404
    assert response.json() == {"detail": "未找到。", "code": "not_found"}


def test_comments_are_one_list_with_full_avatar_addresses(make_user, make_post, client_for, image_file):
    from accounts import services as accounts_services

    fan = make_user("fan")
    accounts_services.profile_update(user=fan, avatar=image_file("face.png"))
    post = make_post()
    client = client_for(fan)
    created = client.post(f"/api/v1/posts/{post.pk}/comments/", {"body": "好看"}, format="json")

    listed = client.get(f"/api/v1/posts/{post.pk}/comments/")

    assert created.json()["author"]["avatar"].startswith("http://testserver/")
    assert isinstance(listed.json(), list)
    assert listed.json()[0]["author"]["avatar"].startswith("http://testserver/")


def test_the_schema_documents_the_errors_every_endpoint_can_answer(api):
    schema = api.get("/api/v1/schema/", HTTP_ACCEPT="application/json").json()

    assert {"detail", "code"} <= set(schema["components"]["schemas"]["ApiError"]["properties"])
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            assert {"400", "401", "404", "429"} <= set(operation["responses"]), (method, path)
    unlike = schema["paths"]["/api/v1/posts/{id}/like/"]["delete"]["responses"]
    assert "200" in unlike and "204" not in unlike


@pytest.mark.parametrize("username", ["bo\x00b", {"name": "bob"}, 42])
def test_asking_for_a_token_with_a_name_no_database_holds_is_a_bad_request(api, make_user, username):
    make_user("bob")

    response = api.post("/api/v1/auth/token/", {"username": username, "password": "x"}, format="json")

    assert response.status_code == 400


# ---------------------------------------------------------------- NUL characters
# PostgreSQL raises on a NUL in a compared string; SQLite finds nothing. Both answer 400.
def test_a_nul_in_a_query_filter_is_a_bad_request(api):
    response = api.get("/api/v1/posts/", {"author": "bo\x00b"})

    assert response.status_code == 400
    assert response.json()["code"] == "invalid"


def test_a_nul_in_a_path_is_a_bad_request(api):
    assert api.get("/api/v1/users/bo%00b/").status_code == 400


def test_a_nul_in_a_json_body_is_a_bad_request(make_user, client_for):
    response = client_for(make_user()).post(
        "/api/v1/not-interested/", {"kind": "tag", "tag": "fo\x00od"}, format="json"
    )

    assert response.status_code == 400


def test_a_nul_in_a_multipart_body_is_a_bad_request(make_user, client_for, image_file):
    response = client_for(make_user()).post(
        "/api/v1/posts/",
        {"kind": "note", "title": "好", "channel": "fo\x00od", "images": [image_file()]},
        format="multipart",
    )

    assert response.status_code == 400


def test_a_nul_in_a_web_page_address_is_a_bad_request(client):
    assert client.get("/u/bo%00b/").status_code == 400
