"""One JSON shape for every API error.

DRF's default keeps field errors as ``{"field": ["message"]}``; we keep that and add a
top-level ``detail`` and a machine-readable ``code`` so clients can show one message.
"""

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, JsonResponse
from rest_framework import exceptions, status


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
        fields = data if isinstance(data, dict) else {"non_field_errors": data}
        first = _first_message(fields)
        response.data = {"detail": first, "code": "invalid", "errors": fields}
    elif isinstance(exc, (Http404, exceptions.NotFound)):
        response.data = {"detail": str(data.get("detail", "Not found.")), "code": "not_found"}
    elif isinstance(exc, (PermissionDenied, exceptions.PermissionDenied)):
        response.data = {"detail": str(data.get("detail")), "code": "permission_denied"}
    elif isinstance(data, dict) and "detail" in data:
        code = getattr(data["detail"], "code", None) or exc.__class__.__name__.lower()
        response.data = {"detail": str(data["detail"]), "code": code}
    if response.status_code == status.HTTP_429_TOO_MANY_REQUESTS:
        response.data["code"] = "throttled"
    return response


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
