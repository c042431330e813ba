"""OpenAPI schema additions: the error answers every endpoint can give.

drf-spectacular documents each view's success response; the errors come from shared
machinery (authentication, throttles, the pagination cursor, ``config.api_errors``), so
they are added here, to every operation, in the one JSON shape clients get. Found by
fuzzing the live API (bin/fuzz): a client reading the schema must know every status it
can meet.
"""

from __future__ import annotations

ERROR_SCHEMA = {
    "type": "object",
    "description": "Every API error: one message, a machine-readable code, field errors.",
    "properties": {
        "detail": {"type": "string", "description": "one message to show"},
        "code": {"type": "string", "description": "e.g. invalid, not_authenticated, not_found, throttled"},
        "errors": {
            "type": "object",
            "additionalProperties": {},
            "description": "for invalid input: the messages of each field",
        },
    },
    "required": ["detail", "code"],
}

ERRORS = {
    "400": "The input is not valid (query, body or cursor); `errors` says where.",
    "401": "Not signed in, or the token is not valid.",
    "403": "Signed in, but not allowed to do this.",
    "404": "Nothing here, or not visible to you (also a cursor that no longer exists).",
    "429": "Too many requests; `Retry-After` says when to try again.",
}
METHODS = {"get", "put", "post", "delete", "patch", "head", "options"}
URI_TOO_LONG = {
    "description": "The request line is longer than the web server accepts (answered by "
    "gunicorn or nginx before the application, as plain HTML)."
}


def add_error_responses(result: dict, generator, request, public) -> dict:
    """Document the shared error answers on every operation (a postprocessing hook)."""
    result.setdefault("components", {}).setdefault("schemas", {})["ApiError"] = ERROR_SCHEMA
    ref = {"$ref": "#/components/schemas/ApiError"}
    for path in result.get("paths", {}).values():
        for method, operation in path.items():
            if method not in METHODS:
                continue
            responses = operation.setdefault("responses", {})
            for status, description in ERRORS.items():
                responses.setdefault(
                    status, {"description": description, "content": {"application/json": {"schema": ref}}}
                )
            responses.setdefault("414", URI_TOO_LONG)
    return result
