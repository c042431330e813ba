"""Rate limits, read from ``REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]`` at request time.

DRF's own throttles copy the rates when they are imported, so changed settings (in
tests, or by an operator's override) would not apply; these look them up per request.
Counters live in Django's cache, which is Redis.
"""

from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle


class _RuntimeRateThrottle(SimpleRateThrottle):
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
