"""Usernames that could pass for someone else's are refused at sign-up, API and web alike."""

import pytest

from accounts.models import User

SIGNUP = "/api/v1/auth/signup/"


def api_signup(api, username: str):
    return api.post(SIGNUP, {"username": username, "password": "s3cret-pass-99"}, format="json")


def web_signup(client, username: str):
    return client.post(
        "/signup/",
        {
            "username": username,
            "password1": "s3cret-pass-99",
            "password2": "s3cret-pass-99",
            "language": "zh",
        },
    )


def test_signing_up_as_fullwidth_alice_when_alice_exists_is_refused(api, make_user):
    make_user("alice")

    response = api_signup(api, "ａｌｉｃｅ")

    assert response.status_code == 400
    assert response.json()["errors"]["username"] == ["This username is taken."]
    assert User.objects.count() == 1


def test_signing_up_as_alice_with_a_cyrillic_a_is_refused(api, make_user):
    make_user("alice")

    response = api_signup(api, "\u0430lice")

    assert response.status_code == 400
    assert "one script" in response.json()["detail"]
    assert User.objects.count() == 1


def test_a_name_all_in_cyrillic_that_looks_like_a_taken_latin_one_is_refused(api, make_user):
    make_user("aec")

    assert api_signup(api, "\u0430\u0435\u0441").status_code == 400


def test_alice_with_a_zero_width_space_is_alice(api, make_user):
    make_user("alice")

    assert api_signup(api, "ali\u200bce").status_code == 400
    assert api_signup(api, "bo\u202eb").json()["username"] == "bob"


def test_a_fullwidth_name_nobody_holds_is_stored_in_plain_letters(api, db):
    response = api_signup(api, "ｃａｒｏｌ")

    assert response.status_code == 201
    assert response.json()["username"] == "carol"


@pytest.mark.parametrize("name", ["小明abc", "さくらsakura", "김민수kim", "Ελένη"])
def test_chinese_japanese_korean_names_with_latin_letters_are_welcome(api, db, name):
    assert api_signup(api, name).status_code == 201


def test_the_web_sign_up_refuses_fullwidth_alice_on_the_form(client, make_user):
    make_user("alice")

    response = web_signup(client, "ａｌｉｃｅ")

    assert response.status_code == 200
    assert response.context["form"].errors["username"]
    assert User.objects.count() == 1


def test_the_web_sign_up_refuses_a_cyrillic_look_alike_on_the_form(client, make_user):
    make_user("alice")

    response = web_signup(client, "\u0430lice")

    assert response.status_code == 200
    assert "one script" in str(response.context["form"].errors["username"])
    assert User.objects.count() == 1


def test_the_web_sign_up_strips_invisible_characters_from_the_name(client, channels):
    response = web_signup(client, "da\u200bve")

    assert response.status_code == 302
    assert User.objects.get().username == "dave"


def test_a_display_name_keeps_no_bidi_override(make_user, client_for):
    user = make_user()

    response = client_for(user).patch(
        "/api/v1/me/", {"display_name": "\u202eevil\u200b name"}, format="json"
    )

    assert response.json()["display_name"] == "evil name"


def test_people_who_signed_up_before_the_look_alike_key_get_one_and_the_first_keeps_it(
    make_user,
):
    import importlib

    from django.apps import apps

    fill_keys = importlib.import_module("accounts.migrations.0004_user_username_key").fill_keys
    alice = make_user("alice")
    User.objects.update(username_key=None)
    (later,) = User.objects.bulk_create([User(username="ALICE")])  # no save(): no key

    fill_keys(apps, None)

    alice.refresh_from_db()
    later.refresh_from_db()
    assert alice.username_key == "alice"
    assert later.username_key is None


def test_the_demo_people_hold_their_names_against_look_alikes(api, channels):
    from demo.world import build_demo_world

    build_demo_world(users=3, posts=0)
    taken = User.objects.order_by("pk").first().username

    assert not User.objects.filter(username_key__isnull=True).exists()
    assert api_signup(api, taken.upper()).status_code == 400
