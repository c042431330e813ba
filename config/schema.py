"""OpenAPI schema additions: the error answers every endpoint can give.

drf-spectacular documents each view's success response; the errors come from shared
machinery (authentication, throttles, the pagination cursor, ``config.api_errors``), so
they are added here, to every operation, in the one JSON shape clients get. Found by
fuzzing the live API (bin/fuzz): a client reading the schema must know every status it
can meet.
"""

from __future__ import annotations

from rest_framework import serializers

ERROR_SCHEMA = {
    "type": "object",
    "description": "Every API error: one message, a machine-readable code, field errors.",
    "properties": {
        "detail": {"type": "string", "description": "one message to show"},
        "code": {"type": "string", "description": "e.g. invalid, not_authenticated, not_found, throttled"},
        "errors": {
            "type": "object",
            "additionalProperties": {"type": "array", "items": {"type": "string"}},
            "description": "for invalid input: each field's messages (nested fields as dotted "
            "keys, e.g. `events.1.seconds`)",
        },
    },
    "required": ["detail", "code"],
}

ERRORS = {
    "400": "The input is not valid (query, body, `size` or `cursor`); `errors` says where.",
    "401": "Not signed in, or the token is not valid.",
    "403": "Signed in, but not allowed to do this.",
    "404": "Nothing here, or not visible to you.",
    "429": "Too many requests; `Retry-After` says when to try again.",
}
METHODS = {"get", "put", "post", "delete", "patch", "head", "options"}
UNSUPPORTED = "The body is not of the one content type this operation takes (JSON, or multipart where files go)."
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
            if "requestBody" in operation:
                responses.setdefault(
                    "415", {"description": UNSUPPORTED, "content": {"application/json": {"schema": ref}}}
                )
            responses.setdefault("414", URI_TOO_LONG)
    return result


# The "or null" branch of a nullable reference: valid OpenAPI 3.0, and read as `None` by
# openapi-python-client (which ignores `nullable` beside a lone reference).
NULL_BRANCH = {"type": "object", "nullable": True, "enum": [None]}


def type_nullable_references(result: dict, generator, request, public) -> dict:
    """Write nullable references as ``oneOf: [ref, null]`` (a postprocessing hook).

    drf-spectacular writes a nullable nested object as ``{"allOf": [{"$ref": …}],
    "nullable": true}``. OpenAPI 3.0 ties ``nullable`` to a ``type`` beside it, so strict
    validators reject that (issue #35: ``Post.place``, ``Post.video``), and the generated
    Python client ignores the ``nullable`` and fails on every null. The form written
    instead, ``{"type": "object", "nullable": true, "oneOf": [{"$ref": …}, NULL_BRANCH]}``,
    passes both.
    """
    pending = [result.get("components", {}).get("schemas", {}), result.get("paths", {})]
    while pending:
        node = pending.pop()
        if isinstance(node, dict):
            if node.get("nullable") and len(node.get("allOf", [])) == 1 and "type" not in node:
                node["oneOf"] = [node.pop("allOf")[0], dict(NULL_BRANCH)]
                node["type"] = "object"
            pending.extend(node.values())
        elif isinstance(node, list):
            pending.extend(node)
    return result


def require_response_fields(result: dict, generator, request, public) -> dict:
    """Mark a model serializer's written fields required in its response component (a
    postprocessing hook).

    With ``COMPONENT_SPLIT_REQUEST`` a model field that may be left out of a request
    (``blank=True``, a default) is also left out of the response component's ``required``
    list, although DRF always writes it (drf-spectacular issue #1347), so generated
    clients typed ``Post.title`` as optional. Request components (``…Request``) keep their
    list, and so does a field the serializer itself declares with ``required=False`` (an
    answer that may really leave it out, like ``Relation.blocked``).
    """
    schemas = result.get("components", {}).get("schemas", {})
    for component in generator.registry._components.values():
        serializer = component.object
        kind = serializer if isinstance(serializer, type) else type(serializer)
        schema = schemas.get(component.name)
        if (
            component.type != "schemas"
            or component.name.endswith("Request")
            or not (isinstance(kind, type) and issubclass(kind, serializers.ModelSerializer))
            or not schema
            or not schema.get("properties")
        ):
            continue
        optional = {name for name, field in kind._declared_fields.items() if not field.required}
        always = set(schema["properties"]) - optional
        schema["required"] = sorted(always | set(schema.get("required", [])))
    return result
