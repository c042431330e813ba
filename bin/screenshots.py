"""Take the README's screenshots with the system Chromium (see bin/screenshots).

    python bin/screenshots.py http://127.0.0.1:8000 docs/screenshots

Signs in as the demo world's ``alice``; each page is shot at the top, the size of one
screen, then stored as a 256-colour PNG so the set stays small.
"""

from __future__ import annotations

import io
import shutil
import sys
import time
from pathlib import Path

from PIL import Image
from playwright.sync_api import sync_playwright

SIZES = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 800}}
USER, PASSWORD = "alice", "demo-pass-123"


def shoot(page, path: Path) -> int:
    """Save the page's screen as a palette PNG; return its size in bytes."""
    png = Image.open(io.BytesIO(page.screenshot()))
    png.convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT).save(
        path, optimize=True
    )
    return path.stat().st_size


def main(base: str, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=shutil.which("chromium"),
            headless=True,
            # --lang: the browser's own words (the file button's) in Chinese, as on a Chinese phone
            args=["--no-sandbox", "--disable-gpu", "--lang=zh-CN"],
        )
        for size, viewport in SIZES.items():
            context = browser.new_context(base_url=base, viewport=viewport, locale="zh-CN")
            page = context.new_page()
            page.goto("/login/")
            page.fill("input[name=username]", USER)
            page.fill("input[name=password]", PASSWORD)
            page.locator("main form button[type=submit]").click()
            page.wait_for_url(lambda url: "/login/" not in url)
            page.goto("/latest/")
            post = page.locator("[data-testid=card] a.card-title").first.get_attribute("href")
            pages = {
                "discover": "/",
                "hot": "/hot/",
                "post": post,
                "profile": f"/u/{USER}/",
                "creator": "/creator/",
                "publish": "/publish/",
            }
            for name, path in pages.items():
                page.goto(path)
                # A platform just (re)started rebuilds its Redis structures in the worker
                # (docs/operations.md); until then the feeds say they are served from the
                # database. Wait for the real page rather than picture the stand-in.
                for _ in range(60):
                    if not page.get_by_test_id("fallback").count():
                        break
                    time.sleep(2)
                    page.goto(path)
                page.wait_for_load_state("networkidle")
                page.evaluate(
                    "() => Promise.all([...document.images].filter(i => i.getBoundingClientRect().top < innerHeight).map(i => i.decode().catch(() => null)))"
                )
                target = out / f"{name}-{size}.png"
                print(f"{target}  {shoot(page, target) // 1024} KB")
            context.close()
        browser.close()


if __name__ == "__main__":
    main(sys.argv[1].rstrip("/"), Path(sys.argv[2]))
