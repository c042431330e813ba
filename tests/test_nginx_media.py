"""platform/nginx.conf's media location, run by a real nginx on a loopback port."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request

import pytest

from tests.conftest import ROOT

# Debian installs nginx in /usr/sbin, which is not on every user's PATH.
NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if os.path.exists("/usr/sbin/nginx") else None)


def media_location() -> str:
    """Return the ``location /media/ { ... }`` block of platform/nginx.conf, braces matched."""
    text = (ROOT / "platform" / "nginx.conf").read_text()
    start = text.index("location /media/ {")
    depth = 0
    for end in range(start, len(text)):
        depth += {"{": 1, "}": -1}.get(text[end], 0)
        if text[end] == "}" and depth == 0:
            return text[start : end + 1]
    raise AssertionError("unbalanced media location")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def nginx_media(tmp_path):
    """Start nginx with the media location over a folder; yield (folder, base URL)."""
    if NGINX is None:
        pytest.fail("nginx is not installed; bin/test installs it (apt-get install nginx)")
    site = tmp_path / "site"
    (site / "media").mkdir(parents=True)
    block = media_location()
    assert "root /srv/platform;" in block
    block = block.replace("root /srv/platform;", f"root {site};")
    port = free_port()
    conf = tmp_path / "nginx.conf"
    conf.write_text(
        f"""
daemon off;
user root;
pid {tmp_path}/nginx.pid;
error_log {tmp_path}/error.log;
events {{}}
http {{
    access_log off;
    client_body_temp_path {tmp_path}/body;
    proxy_temp_path {tmp_path}/proxy;
    fastcgi_temp_path {tmp_path}/fastcgi;
    uwsgi_temp_path {tmp_path}/uwsgi;
    scgi_temp_path {tmp_path}/scgi;
    server {{
        listen 127.0.0.1:{port};
        {block}
    }}
}}
"""
    )
    proc = subprocess.Popen(
        [NGINX, "-p", str(tmp_path), "-e", str(tmp_path / "error.log"), "-c", str(conf)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            if proc.poll() is not None:
                raise RuntimeError(proc.stderr.read().decode()) from None
            time.sleep(0.05)
    yield site / "media", f"http://127.0.0.1:{port}/media/"
    proc.terminate()
    proc.wait(timeout=10)


def fetch(url: str):
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def test_nginx_never_serves_an_uploaded_page_html_as_a_web_page(nginx_media):
    folder, base = nginx_media
    (folder / "page.html").write_bytes(b"<script>alert(document.cookie)</script>")
    (folder / "page").write_bytes(b"<script>alert(document.cookie)</script>")

    for name in ("page.html", "page"):
        status, headers, body = fetch(base + name)
        assert status == 404, name
        assert b"<script" not in body
        assert headers["X-Content-Type-Options"] == "nosniff"


def test_nginx_serves_images_and_videos_with_their_type_nosniff_and_a_sandbox(nginx_media):
    folder, base = nginx_media
    (folder / "a.png").write_bytes(b"\x89PNG\r\n\x1a\n<html><script>x</script>")
    (folder / "b.MP4").write_bytes(b"\0\0\0\x18ftypisom")

    status, headers, _ = fetch(base + "a.png")
    assert (status, headers["Content-Type"]) == (200, "image/png")
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Content-Security-Policy"].startswith("sandbox;")
    status, headers, _ = fetch(base + "b.MP4")
    assert (status, headers["Content-Type"]) == (200, "video/mp4")
