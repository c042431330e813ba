"""Rate limits, read from ``REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]`` at request time.

DRF's own throttles copy the rates when they are imported, so changed settings (in
tests, or by an operator's override) would not apply; these look them up per request.
Counters live in Django's cache, which is Redis. When Redis cannot be reached they
live in the process's memory instead (``ThrottleCounters``): each web process then
enforces the rate on its own, which lets a client through a few times the rate at
most (one per process) instead of without any limit. The web forms that log in, sign up,
publish and interact are held to the same rates by ``WebFormRateLimitMiddleware``.
"""

import ipaddress
import logging
import math

from django.core.cache import cache as default_cache
from django.core.cache.backends.locmem import LocMemCache
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django_redis.exceptions import ConnectionInterrupted
from redis.exceptions import RedisError
from rest_framework.settings import api_settings
from rest_framework.throttling import BaseThrottle, SimpleRateThrottle


def client_address(request) -> str | None:
    """Return the client's address as the rate limits see it (``NUM_PROXIES`` says how
    far ``X-Forwarded-For`` is trusted), or None when it is not an IP address."""
    ident = BaseThrottle().get_ident(request)
    try:
        return str(ipaddress.ip_address(ident))
    except ValueError:
        return None

log = logging.getLogger(__name__)


class ThrottleCounters:
    """The throttles' cache: Django's (Redis), else a per-process memory when Redis fails.

    Django's Redis cache is set to ignore connection errors (a read answers "nothing",
    a write is dropped), which would let every request through; its client is asked
    directly so a failure is seen and the local memory takes over for that request.
    """

    local = LocMemCache("throttle-fallback", {"OPTIONS": {"MAX_ENTRIES": 100_000}})

    def _client(self):
        """django-redis's client, which raises where the cache itself would not."""
        return getattr(default_cache, "client", default_cache)

    def get(self, key, default=None):
        try:
            return self._client().get(key, default=default)
        except (ConnectionInterrupted, RedisError, OSError) as exc:
            log.warning("rate limits counted in this process, redis failed: %s", exc)
        return self.local.get(key, default)

    def set(self, key, value, timeout=None):
        try:
            self._client().set(key, value, timeout)
            return
        except (ConnectionInterrupted, RedisError, OSError):
            pass  # logged by get(), which every throttle calls first
        self.local.set(key, value, timeout)


class _RuntimeRateThrottle(SimpleRateThrottle):
    cache = ThrottleCounters()

    def __init__(self):  # the rate is resolved in allow_request
        pass

    def scope_for(self, request, view) -> str | None:
        raise NotImplementedError

    def allow_request(self, request, view):
        self.scope = self.scope_for(request, view)
        self.rate = api_settings.DEFAULT_THROTTLE_RATES.get(self.scope) if self.scope else None
        if self.rate is None:
            return True
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request, view)

    def get_cache_key(self, request, view):
        ident = request.user.pk if request.user.is_authenticated else self.get_ident(request)
        return f"throttle:{self.scope}:{ident}"


class AnonRateThrottle(_RuntimeRateThrottle):
    """Limit anonymous clients by IP (``anon`` rate)."""

    def scope_for(self, request, view):
        return None if request.user.is_authenticated else "anon"


class UserRateThrottle(_RuntimeRateThrottle):
    """Limit signed-in users by id (``user`` rate)."""

    def scope_for(self, request, view):
        return "user" if request.user.is_authenticated else None


class ScopedWriteThrottle(_RuntimeRateThrottle):
    """Limit the unsafe requests of a view by its ``throttle_scope`` (post, auth …)."""

    def scope_for(self, request, view):
        if request.method in ("GET", "HEAD", "OPTIONS"):
            return None
        return getattr(view, "throttle_scope", None)


# ---------------------------------------------------------------- the web forms
# The web pages do what the API does, so they share its limits (and its counters: a
# password guessed on the login page and one sent to auth/token/ count together).
WEB_FORM_SCOPES = {
    "web:login": "auth",
    "web:signup": "auth",
    "web:publish": "post",
    "web:publish-tags": "interact",  # asked as the person types (at most every 600 ms)
    "web:post-action": "interact",
    "web:relation": "interact",
}


class _WebFormThrottle(_RuntimeRateThrottle):
    def __init__(self, scope: str):
        self.fixed_scope = scope

    def scope_for(self, request, view):
        return self.fixed_scope


class WebFormRateLimitMiddleware:
    """Refuse a web form's POST with 429 once its scope's rate is used up.

    Runs after authentication, so signed-in people are counted by account and
    visitors by address, as in the API.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        scope = WEB_FORM_SCOPES.get(match.view_name) if match and request.method == "POST" else None
        if scope is None:
            return None
        throttle = _WebFormThrottle(scope)
        if throttle.allow_request(request, None):
            return None
        return too_many_requests(request, throttle.wait())


def too_many_requests(request, wait: float | None) -> HttpResponse:
    """Return the 429 answer: JSON for the page script's card actions, else a page."""
    seconds = max(1, math.ceil(wait or 1))
    if request.headers.get("X-Requested-With") == "fetch":
        response = JsonResponse(
            {"detail": f"Too many requests; try again in {seconds} s.", "code": "throttled"},
            status=429,
        )
    else:
        response = render(request, "429.html", {"seconds": seconds}, status=429)
    response["Retry-After"] = str(seconds)
    return response
