"""One language at a time for the project's own messages: written in English in the code,
translated to 简体中文 in locale/ (docs/i18n.md). Chinese by default, English for a
client or browser that asks for it."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from django.utils import translation

from accounts.models import Block

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
APPS = ("config", "accounts", "content", "feeds", "boosts", "moderation", "search", "notifications", "commerce")


def catalogue(with_context: bool = False) -> dict:
    """msgid → msgstr of the committed .po (multi-line strings joined); with_context, the
    keys are (msgctxt or None, msgid), so "Following" (关注) and the button's "Following"
    (已关注) stay apart."""
    text = PO.read_text(encoding="utf-8")
    entries = re.findall(r'^(?:msgctxt "(.*)"\n)?msgid ((?:".*"\n)+)msgstr ((?:".*"\n?)+)', text, re.M)
    join = lambda block: "".join(re.findall(r'"(.*)"', block)).replace('\\"', '"')  # noqa: E731
    if with_context:
        return {(ctx or None, join(a)): join(b) for ctx, a, b in entries if join(a)}
    return {join(a): join(b) for ctx, a, b in entries if join(a) and not ctx}


def marked_in_code() -> set[str]:
    """Every literal the code passes to ``_()`` or ``gettext_noop()``."""
    found = set()
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            found |= set(re.findall(r'\b(?:_|gettext_noop|gettext_lazy)\("((?:[^"\\]|\\.)+)"\)', path.read_text(encoding="utf-8")))
    return found


def test_every_message_in_the_code_has_a_chinese_translation():
    known = catalogue()
    marked = marked_in_code()
    assert len(marked) > 50
    assert sorted(marked - set(known)) == []
    assert [key for key, zh in catalogue(with_context=True).items() if not zh] == []
    assert "#, fuzzy" not in PO.read_text(encoding="utf-8")


def test_the_compiled_catalogue_matches_the_po_file():
    """A .po edited without `compilemessages` would leave English on the pages."""
    with translation.override("zh-hans"):
        stale = [
            (ctx, mid)
            for (ctx, mid), zh in catalogue(with_context=True).items()
            if (translation.pgettext(ctx, mid) if ctx else translation.gettext(mid)) != zh
        ]
    assert stale == []


def test_placeholders_survive_translation():
    for mid, zh in catalogue().items():
        assert set(re.findall(r"\{\w+\}", mid)) == set(re.findall(r"\{\w+\}", zh)), mid
        assert set(re.findall(r"%\(\w+\)s", mid)) == set(re.findall(r"%\(\w+\)s", zh)), mid


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


# ---------------------------------------------------------------- the page templates
def marked_in_templates() -> set[tuple[str | None, str]]:
    """(context, msgid) of every {% translate %} / {% blocktranslate %} in the templates,
    as makemessages sees them (Django's own templatize)."""
    from django.utils.translation.template import templatize

    found = set()
    call = re.compile(r"(p?)gettext\((u'(?:[^'\\]|\\.)*')(?:, (u'(?:[^'\\]|\\.)*'))?\)")
    for path in (ROOT / "templates").rglob("*.html"):
        for kind, first, second in call.findall(templatize(path.read_text(encoding="utf-8"), origin=str(path))):
            if kind:
                found.add((ast.literal_eval(first), ast.literal_eval(second)))
            else:
                found.add((None, ast.literal_eval(first)))
    return found


def test_every_label_in_the_templates_has_a_chinese_translation():
    known = catalogue(with_context=True)
    marked = marked_in_templates()
    assert len(marked) > 80
    assert sorted(marked - set(known), key=str) == []
    assert [key for key in marked if not known[key]] == []


ENGLISH_LABELS = ("Discover", "Nearby", "Log in", "Sign up", "Skip to content", "Nothing here yet")
CHINESE_LABELS = ("发现", "附近", "登录", "注册", "跳到正文", "还没有内容")


@pytest.mark.django_db
def test_the_home_page_speaks_chinese_by_default_and_english_when_the_browser_asks(client):
    chinese = client.get("/").content.decode()
    assert '<html lang="zh-Hans">' in chinese
    assert all(label in chinese for label in CHINESE_LABELS)
    assert [label for label in ENGLISH_LABELS if label in chinese] == []

    english = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<html lang="en">' in english
    assert all(label in english for label in ENGLISH_LABELS)
    assert [label for label in CHINESE_LABELS if label in english] == []


@pytest.mark.django_db
def test_the_profile_page_follows_the_account_language(client, make_user):
    make_user("idol", display_name="偶像")
    fan = make_user("fan")
    client.force_login(fan)
    client.post("/u/idol/do/follow/")

    own = client.get("/u/fan/").content.decode()
    other = client.get("/u/idol/").content.decode()
    assert all(label in own for label in ("粉丝", "编辑资料", "笔记", "收藏", "退出登录"))
    assert "已关注" in other and "拉黑" in other
    for label in ("Followers", "Edit profile", "Posts", "Saved", "Log out", "Following", "Block"):
        assert label not in own + other, label

    fan.language = "en"
    fan.save(update_fields=["language"])
    own = client.get("/u/fan/", HTTP_ACCEPT_LANGUAGE="zh-CN").content.decode()
    other = client.get("/u/idol/", HTTP_ACCEPT_LANGUAGE="zh-CN").content.decode()
    assert '<html lang="en">' in own
    assert all(label in own for label in ("Followers", "Edit profile", "Posts", "Saved", "Log out"))
    assert "Following" in other and "Block" in other
    for label in ("粉丝", "编辑资料", "收藏", "退出", "已关注", "拉黑"):
        assert label not in own + other, label
