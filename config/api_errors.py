"""One JSON shape for every API error.

``{"detail": "one message to show", "code": "machine_readable", "errors": {"field":
["message", …]}}``: ``errors`` only for invalid input, and then always an object whose
values are lists of strings. DRF gives nested errors for nested input (an event batch:
``{"events": [{}, {"seconds": [...]}]}``) and a bare string where a view raised
``ValidationError({"field": "message"})``; both are flattened here to dotted keys
(``events.1.seconds``) holding lists (docs/decisions/one-error-shape.md). Messages are
in the request's language, Chinese by default (docs/i18n.md; DRF's own come through its
catalogue).
"""

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, JsonResponse
from django.utils.translation import gettext_lazy
from rest_framework import exceptions, status

NOT_FOUND = gettext_lazy("Not found.")  # lazy: rendered in the request's language


def is_api(request) -> bool:
    """Return True for a request to the REST API (whose clients parse every answer)."""
    return request.path.startswith("/api/")


def error_response(detail: str, code: str, status: int) -> JsonResponse:
    """The API's error shape, for answers given outside DRF (middleware, URL handlers)."""
    return JsonResponse({"detail": detail, "code": code}, status=status)


def exception_handler(exc, context):
    """Return a JSON error response with ``detail``, ``code`` and field errors."""
    # Imported here: rest_framework.views reads the API settings, whose parsers live in
    # config.request_guards, which uses this module's helpers.
    from rest_framework.views import exception_handler as drf_exception_handler

    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(
            exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages}
        )
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    data = response.data
    if isinstance(exc, exceptions.ValidationError):
        fields = field_errors(data if isinstance(data, dict) else {"non_field_errors": data})
        first = _first_message(fields)
        response.data = {"detail": first, "code": "invalid", "errors": fields}
    elif isinstance(exc, (Http404, exceptions.NotFound)):
        response.data = {"detail": NOT_FOUND, "code": "not_found"}
    elif isinstance(exc, (PermissionDenied, exceptions.PermissionDenied)):
        response.data = {"detail": str(data.get("detail")), "code": "permission_denied"}
    elif isinstance(data, dict) and "detail" in data:
        code = getattr(data["detail"], "code", None) or exc.__class__.__name__.lower()
        response.data = {"detail": str(data["detail"]), "code": code}
    if response.status_code == status.HTTP_429_TOO_MANY_REQUESTS:
        response.data["code"] = "throttled"
    return response


def field_errors(errors) -> dict[str, list[str]]:
    """Return DRF's (possibly nested) error data as ``{"dotted.key": ["message", …]}``."""
    flat: dict[str, list[str]] = {}
    pending = [("", errors)]
    while pending:
        prefix, value = pending.pop(0)
        if isinstance(value, dict):
            pending.extend(
                (f"{prefix}.{key}" if prefix else str(key), item) for key, item in value.items()
            )
        elif isinstance(value, list) and any(isinstance(item, (dict, list)) for item in value):
            pending.extend((f"{prefix}.{index}", item) for index, item in enumerate(value) if item)
        elif isinstance(value, list):
            flat.setdefault(prefix or "non_field_errors", []).extend(str(item) for item in value)
        elif value not in (None, ""):
            flat.setdefault(prefix or "non_field_errors", []).append(str(value))
    return flat


def _first_message(errors) -> str:
    """Return the first human-readable message inside nested DRF error data."""
    if isinstance(errors, dict):
        for key, value in errors.items():
            message = _first_message(value)
            if message:
                return message if key in ("non_field_errors", "detail") else f"{key}: {message}"
    elif isinstance(errors, list):
        for item in errors:
            message = _first_message(item)
            if message:
                return message
    elif errors:
        return str(errors)
    return ""
