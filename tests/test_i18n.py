"""One language at a time for the project's own messages: written in English in the code,
translated to 简体中文 in locale/ (docs/i18n.md). Chinese by default, English for a
client or browser that asks for it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.utils import translation

from accounts.models import Block

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
APPS = ("config", "accounts", "content", "feeds", "boosts", "moderation", "search", "notifications", "commerce")


def catalogue() -> dict[str, str]:
    """msgid → msgstr of the committed .po (multi-line strings joined)."""
    text = PO.read_text(encoding="utf-8")
    pairs = re.findall(r'^msgid ((?:".*"\n)+)msgstr ((?:".*"\n?)+)', text, re.M)
    join = lambda block: "".join(re.findall(r'"(.*)"', block)).replace('\\"', '"')  # noqa: E731
    return {join(a): join(b) for a, b in pairs if join(a)}


def marked_in_code() -> set[str]:
    """Every literal the code passes to ``_()`` or ``gettext_noop()``."""
    found = set()
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            found |= set(re.findall(r'\b(?:_|gettext_noop)\("((?:[^"\\]|\\.)+)"\)', path.read_text(encoding="utf-8")))
    return found


def test_every_message_in_the_code_has_a_chinese_translation():
    known = catalogue()
    marked = marked_in_code()
    assert len(marked) > 50
    assert sorted(marked - set(known)) == []
    assert [mid for mid, zh in known.items() if not zh] == []
    assert "#, fuzzy" not in PO.read_text(encoding="utf-8")


def test_the_compiled_catalogue_matches_the_po_file():
    """A .po edited without `compilemessages` would leave English on the pages."""
    with translation.override("zh-hans"):
        stale = [mid for mid, zh in catalogue().items() if translation.gettext(mid) != zh]
    assert stale == []


def test_placeholders_survive_translation():
    for mid, zh in catalogue().items():
        assert set(re.findall(r"\{\w+\}", mid)) == set(re.findall(r"\{\w+\}", zh)), mid


@pytest.mark.django_db
def test_a_refusal_is_chinese_by_default_and_english_when_asked(make_user, client_for):
    me = make_user("alice")
    api = client_for(me)

    chinese = api.post(f"/api/v1/users/{me.username}/block/")
    english = api.post(f"/api/v1/users/{me.username}/block/", HTTP_ACCEPT_LANGUAGE="en")

    assert chinese.status_code == english.status_code == 400
    assert "不能拉黑自己" in str(chinese.json())
    assert "You cannot block yourself." in str(english.json())
    assert not Block.objects.exists()


@pytest.mark.django_db
def test_the_account_setting_chooses_the_language_of_the_pages(make_user, client):
    """meimei reads Chinese; after choosing English on the settings page her refusals are
    English, even though her browser asks for Chinese."""
    meimei = make_user("meimei", display_name="梅梅")
    client.force_login(meimei)
    half_home = {"display_name": "梅梅", "home_lat": "31.2"}

    page = client.post("/settings/profile/", {**half_home, "language": "zh"}, HTTP_ACCEPT_LANGUAGE="en")
    assert "纬度和经度请同时填写" in page.content.decode()
    assert page["Content-Language"] == "zh-hans"

    client.post("/settings/profile/", {"display_name": "梅梅", "language": "en"})
    meimei.refresh_from_db()
    assert meimei.language == "en"
    page = client.post("/settings/profile/", {**half_home, "language": "en"}, HTTP_ACCEPT_LANGUAGE="zh-CN")
    assert "Give both latitude and longitude of your home place" in page.content.decode()
    assert page["Content-Language"] == "en"
    meimei.refresh_from_db()
    assert meimei.home_lat is None


@pytest.mark.django_db
def test_the_moderation_admin_names_its_pages_in_one_language(admin_client):
    page = admin_client.get("/admin/moderation/queueitem/").content.decode()
    assert "待审条目" in page and "review queue item" not in page
    english = admin_client.get("/admin/moderation/queueitem/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "待审条目" in english  # the admin's account setting (Chinese by default) wins
