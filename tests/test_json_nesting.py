"""A deeply nested JSON body is refused with a 400 in the API's error shape."""

import json

import pytest

DEEP = "[" * 100_000 + "]" * 100_000


def post_raw(client, path: str, body: str):
    return client.generic("POST", path, body, content_type="application/json")


def test_a_deeply_nested_event_batch_is_a_bad_request_not_a_crash(make_user, client_for):
    response = post_raw(client_for(make_user()), "/api/v1/events/", '{"events": ' + DEEP + "}")

    assert response.status_code == 400
    assert response.json()["code"] == "parse_error"
    assert "嵌套" in response.json()["detail"]


def test_asking_for_a_token_with_a_deeply_nested_body_is_a_bad_request(api, make_user):
    make_user("alice")

    response = post_raw(api, "/api/v1/auth/token/", '{"username": ' + DEEP + "}")

    assert response.status_code == 400
    assert response.json()["code"] == "parse_error"


@pytest.mark.parametrize("depth", [40, 900])
def test_json_nested_deeper_than_the_limit_is_refused_before_anything_reads_it(
    make_user, client_for, depth
):
    body = '{"post": 1, "budget": 100, "hours": 1, "channels": ' + "[" * depth + "]" * depth + "}"

    response = post_raw(client_for(make_user()), "/api/v1/boosts/", body)

    assert response.status_code == 400
    assert "嵌套" in response.json()["detail"]


def test_ordinary_nesting_is_still_accepted(make_user, client_for, make_post):
    post = make_post()
    body = json.dumps({"events": [{"post": post.pk, "kind": "view", "seconds": 3}]})

    response = post_raw(client_for(make_user()), "/api/v1/events/", body)

    assert response.status_code == 202
