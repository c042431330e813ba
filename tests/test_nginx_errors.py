"""nginx answers the requests it refuses in the API's JSON error shape under /api/.

These run the real nginx (Debian's, on PATH) with platform/nginx.conf, its upstream
pointed at a closed port (refused requests never reach it) and its body limit shrunk to
1 KB so a small body can exceed it.
"""

import http.client
import json
import re
import runpy
import shutil
import socket
import subprocess
import time
from pathlib import Path

import pytest

PLATFORM = Path(__file__).resolve().parent.parent / "platform"

pytestmark = pytest.mark.skipif(shutil.which("nginx") is None, reason="nginx is not installed")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def nginx(tmp_path_factory):
    root = tmp_path_factory.mktemp("nginx")
    port, closed = _free_port(), _free_port()
    site = (
        (PLATFORM / "nginx.conf")
        .read_text()
        .replace("server web:8000;", f"server 127.0.0.1:{closed};")
        .replace("listen 80;", f"listen 127.0.0.1:{port};")
        .replace("client_max_body_size 220m;", "client_max_body_size 1k;")
    )
    temp = "\n".join(
        f"{name}_temp_path {root / name};"
        for name in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    (root / "nginx.conf").write_text(
        f"daemon off;\nmaster_process off;\npid {root / 'nginx.pid'};\n"
        f"error_log {root / 'error.log'};\nevents {{}}\n"
        f"http {{\naccess_log off;\n{temp}\n{site}\n}}\n"
    )
    process = subprocess.Popen(
        ["nginx", "-p", str(root), "-e", str(root / "error.log"), "-c", str(root / "nginx.conf")],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            if process.poll() is not None:
                pytest.fail(f"nginx did not start: {process.stderr.read().decode()}")
            time.sleep(0.05)
    yield port
    process.terminate()
    process.wait(timeout=10)


def request(port: int, method: str, path: str, body: bytes | None = None, headers=None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request(method, path, body=body, headers=headers or {})
    response = connection.getresponse()
    return response.status, response.getheader("Content-Type"), response.read()


def test_an_api_body_over_the_size_limit_is_a_json_413(nginx):
    status, content_type, body = request(
        nginx, "POST", "/api/v1/posts/", b"x" * 4096, {"Content-Type": "application/json"}
    )

    assert status == 413
    assert content_type == "application/json"
    assert json.loads(body)["code"] == "too_large"


def test_an_api_header_over_the_size_limit_is_a_json_400(nginx):
    status, content_type, body = request(
        nginx, "GET", "/api/v1/posts/", headers={"X-Big": "a" * 6000}
    )

    assert status == 400
    assert content_type == "application/json"
    assert json.loads(body)["code"] == "bad_request"


def test_an_address_too_long_to_read_is_a_json_414(nginx):
    status, content_type, body = request(nginx, "GET", "/api/v1/posts/?q=" + "a" * 6000)

    assert status == 414
    assert json.loads(body)["code"] == "uri_too_long"


def test_a_web_page_over_the_size_limit_keeps_nginxs_own_page(nginx):
    status, content_type, body = request(nginx, "POST", "/publish/", b"x" * 4096)

    assert status == 413
    assert content_type.startswith("text/html")
    assert b"413" in body


def test_gunicorn_lets_through_everything_nginx_lets_through():
    gunicorn = runpy.run_path(str(PLATFORM / "gunicorn.conf.py"))
    count, size = re.search(
        r"large_client_header_buffers (\d+) (\d+)k;", (PLATFORM / "nginx.conf").read_text()
    ).groups()
    line_limit = int(size) * 1024

    assert gunicorn["limit_request_line"] > line_limit
    assert gunicorn["limit_request_field_size"] > line_limit
    # the shortest header line is 4 bytes ("a:\r\n"); 1 KB is nginx's first buffer
    assert gunicorn["limit_request_fields"] * 4 > int(count) * line_limit + 1024
