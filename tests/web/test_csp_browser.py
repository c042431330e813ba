"""In the system Chromium: every main page works under the Content-Security-Policy."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from playwright.sync_api import expect

from accounts import services as accounts
from content import services as content
from tests.conftest import SAMPLE_VIDEO, png_bytes, varied_text

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-pass-4567"
# A page's own script sets this when it ran (see ``ran``), so a page whose script was
# blocked fails even if the browser printed nothing.
CATCH = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__violations.push(`${e.violatedDirective} blocked ${e.blockedURI || "inline"} (${e.sourceFile}:${e.lineNumber})`);
});
"""


@pytest.fixture
def site(channels, media_root):
    """A staff member with a note (a photo) and a video, who can open every page."""
    staff = accounts.user_signup(username="csp-staff", password=PASSWORD)
    staff.is_staff = True
    staff.is_superuser = True
    staff.save(update_fields=["is_staff", "is_superuser"])
    accounts.interests_set(
        user=staff, channels=[channels["food"], channels["travel"], channels["cats"]]
    )
    photo = SimpleUploadedFile("latte.png", png_bytes(size=(800, 600)), content_type="image/png")
    note = content.post_create(
        author=staff,
        kind="note",
        channel=channels["food"],
        title="咖啡探店笔记",
        body=varied_text(1),
        images=[photo],
    )
    clip = SimpleUploadedFile("clip.mp4", SAMPLE_VIDEO.read_bytes(), content_type="video/mp4")
    video = content.post_create(
        author=staff,
        kind="video",
        channel=channels["travel"],
        title="西湖骑行视频",
        body=varied_text(2),
        video=clip,
    )
    return staff, note, video


@pytest.fixture
def watched(page):
    """The page, with every CSP violation and console error it meets collected."""
    problems: list[str] = []
    page.add_init_script(CATCH)
    page.on("console", lambda m: m.type == "error" and problems.append(f"console: {m.text}"))
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))

    def violations() -> list[str]:
        """Return what the current page met since the last call."""
        found = page.evaluate("window.__violations || []")
        found += [p for p in problems if "Content Security Policy" in p or "page error" in p]
        problems.clear()
        return found

    return page, violations


def test_the_main_pages_work_with_no_content_security_policy_violation(watched, site, live_server):
    page, violations = watched
    staff, note, video = site
    seen: dict[str, list[str]] = {}

    def visit(path: str, ready: str, timeout: float = 5_000, idle: bool = True) -> None:
        response = page.goto(path)
        assert response.ok, path
        assert "script-src 'self'" in response.headers["content-security-policy"], path
        expect(page.locator(ready).first).to_be_visible(timeout=timeout)
        if idle:
            page.wait_for_load_state("networkidle")
        else:  # a video keeps its connection open: wait for the poster and metadata instead
            page.wait_for_function("document.querySelector('video').readyState >= 1")
        seen[path] = violations()

    # Signed out first: the pages a newcomer meets.
    visit("/signup/", "main form")
    visit("/login/", "main form")
    page.fill("input[name=username]", staff.username)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit], main form input[type=submit]").first.click()
    page.wait_for_url(lambda url: "/login/" not in url)

    visit("/", "[data-testid=tabs]")
    visit("/latest/", "[data-testid=card] img")
    visit("/hot/", "[data-testid=tabs]")
    visit("/nearby/", "[data-testid=tabs]")
    visit("/search/?q=" + note.title[:2], "[data-testid=search-page-form]")
    visit("/search/", "[data-testid=search-hot]")
    visit(f"/p/{note.pk}/", ".post-detail")
    visit(f"/p/{video.pk}/", "[data-testid=player]", idle=False)
    visit("/publish/", ".publish-form")
    # site.js ran: it hides the video inputs while "note" is chosen.
    expect(page.locator(".publish-form .video-only").first).to_be_hidden()
    visit(f"/u/{staff.username}/", ".profile-head")
    visit("/creator/", "main")
    visit(f"/creator/p/{note.pk}/", "main")
    visit("/settings/profile/", "main form")
    visit("/wallet/", "main")
    visit(f"/p/{note.pk}/boost/", "main form")
    visit("/boosts/", "main")
    visit("/admin/", "#content-main")
    visit("/admin/content/post/", "#result_list")
    visit(f"/admin/content/post/{note.pk}/change/", "#content-main form")
    visit("/admin/moderation/auditentry/", "#content-main")
    visit("/api/v1/docs/", "#swagger-ui .information-container")
    visit("/api/v1/redoc/", ".api-content h1", timeout=40_000)  # the whole API, rendered

    assert {path: found for path, found in seen.items() if found} == {}
