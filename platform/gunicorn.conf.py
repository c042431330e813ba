"""gunicorn settings; every value can be overridden from the environment."""

import os

bind = os.environ.get("BIND", f"127.0.0.1:{os.environ.get('PORT', '8000')}")
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
threads = int(os.environ.get("WEB_THREADS", "4"))
worker_class = "gthread"
timeout = int(os.environ.get("WEB_TIMEOUT", "60"))
graceful_timeout = 10
accesslog = "-" if os.environ.get("ACCESS_LOG", "1") == "1" else None
# A worker is recycled after this many requests (a guard against slow leaks); at a few
# hundred requests a second a smaller number restarts workers every few seconds.
max_requests = int(os.environ.get("WEB_MAX_REQUESTS", "20000"))
max_requests_jitter = max_requests // 10
# Request-line and header limits above nginx's (platform/nginx.conf: 4 KB a line, about
# 17 KB of headers in all), so oversized requests are refused by nginx, which answers in
# the API's JSON error shape; gunicorn's own refusals are plain text.
limit_request_line = 8190  # gunicorn's maximum
limit_request_field_size = 8190
limit_request_fields = 8000  # more header lines than fit in nginx's header buffers
