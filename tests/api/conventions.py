"""The API's conventions (docs/api.md, "Conventions"), checked on the OpenAPI schema.

``schema_problems`` walks the generated schema and returns one sentence per breach, so
a new endpoint that strays (a form body beside the JSON one, an untyped object in a
response, a list paged its own way) fails ``tests/test_schema.py`` with the path and the
rule it breaks. Each rule is here because a generated client (openapi-python-client,
openapi-typescript) or a strict validator broke on it (issue #35).
"""

from __future__ import annotations

JSON = "application/json"
MULTIPART = "multipart/form-data"
METHODS = ("get", "put", "post", "patch", "delete")
# Operations anyone may call without credentials; their security must allow none.
NO_CREDENTIALS = {("post", "/api/v1/auth/signup/"), ("post", "/api/v1/auth/token/")}
# Lists answered whole, without a cursor: each is bounded by design (docs/api.md).
WHOLE_LISTS = {
    "/api/v1/channels/",  # the channel tree: a few dozen rows
    "/api/v1/trending/",  # the top TRENDING_SIZE topics
    "/api/v1/search/suggest/",  # a handful of completions
    "/api/v1/search/hot/",  # the top hot searches
    "/api/v1/mentions/",  # a handful of people to @mention
    "/api/v1/posts/{id}/comments/",  # a thread, capped at COMMENTS_PER_THREAD
}
# Formats that bound a string by themselves.
BOUNDED_FORMATS = {
    "binary",
    "date-time",
    "date",
    "email",
    "uri",
    "uuid",
    "double",
    "float",
    "int32",
    "int64",
}


def resolve(schema: dict, node: dict) -> dict:
    """Return ``node`` with a ``$ref`` followed (once per level)."""
    while isinstance(node, dict) and "$ref" in node:
        name = node["$ref"].rsplit("/", 1)[-1]
        node = schema["components"]["schemas"][name]
    return node


def _parts(node: dict) -> list[dict]:
    """Return the schemas an ``allOf`` / ``oneOf`` / ``anyOf`` combines, or the node."""
    for key in ("allOf", "oneOf", "anyOf"):
        if key in node:
            return node[key]
    return [node]


def _typed(schema: dict, node: dict, where: str, problems: list[str], seen: set[str]) -> None:
    """Check that ``node`` and everything inside it says what it holds."""
    if "$ref" in node:
        name = node["$ref"].rsplit("/", 1)[-1]
        if name in seen:
            return
        seen.add(name)
        _typed(schema, resolve(schema, node), f"{where} ({name})", problems, seen)
        return
    if "nullable" in node and "type" not in node:
        problems.append(f"{where}: `nullable` without a `type` beside it (OpenAPI 3.0 rejects it)")
    if node.get("nullable") and "allOf" in node:
        problems.append(
            f"{where}: `nullable` beside `allOf` (the Python client ignores it: use oneOf with a null branch)"
        )
    if node.get("enum") == [None]:
        return  # the null branch of a nullable reference (config/schema.py)
    combined = [key for key in ("allOf", "oneOf", "anyOf") if key in node]
    if combined:
        for part in _parts(node):
            _typed(schema, part, where, problems, seen)
        return
    kind = node.get("type")
    if kind is None and "enum" not in node:
        problems.append(f"{where}: no type")
    elif kind == "object":
        properties = node.get("properties")
        extra = node.get("additionalProperties")
        if not properties and not isinstance(extra, dict):
            problems.append(
                f"{where}: an object with neither properties nor typed additionalProperties"
            )
        if isinstance(extra, dict):
            if not extra:
                problems.append(f"{where}: additionalProperties of any type")
            else:
                _typed(schema, extra, f"{where}.*", problems, seen)
        for name, value in (properties or {}).items():
            _typed(schema, value, f"{where}.{name}", problems, seen)
    elif kind == "array":
        if "items" not in node or not node["items"]:
            problems.append(f"{where}: an array of any type")
        else:
            _typed(schema, node["items"], f"{where}[]", problems, seen)


def _bounded(schema: dict, node: dict, where: str, problems: list[str], seen: set[str]) -> None:
    """Check that every string and list a client sends states its limit."""
    if "$ref" in node:
        name = node["$ref"].rsplit("/", 1)[-1]
        if name in seen:
            return
        seen.add(name)
        _bounded(schema, resolve(schema, node), where, problems, seen)
        return
    for part in _parts(node):
        if part is not node:
            _bounded(schema, part, where, problems, seen)
    kind = node.get("type")
    if kind == "string" and "maxLength" not in node and "enum" not in node:
        if node.get("format") not in BOUNDED_FORMATS:
            problems.append(f"{where}: a string without maxLength")
    elif kind == "array":
        if "maxItems" not in node:
            problems.append(f"{where}: a list without maxItems")
        _bounded(schema, node.get("items", {}), f"{where}[]", problems, seen)
    elif kind == "object":
        for name, value in node.get("properties", {}).items():
            if not value.get("readOnly"):
                _bounded(schema, value, f"{where}.{name}", problems, seen)


def _has_binary(schema: dict, node: dict) -> bool:
    node = resolve(schema, node)
    for value in node.get("properties", {}).values():
        value = resolve(schema, value)
        if value.get("format") == "binary":
            return True
        if (
            value.get("type") == "array"
            and resolve(schema, value.get("items", {})).get("format") == "binary"
        ):
            return True
    return False


def schema_problems(schema: dict) -> list[str]:
    """Return every breach of the API's conventions in an OpenAPI ``schema``."""
    problems: list[str] = []
    schemes = schema.get("components", {}).get("securitySchemes", {})
    token = schemes.get("tokenAuth", {})
    if token.get("type") != "http" or token.get("scheme") != "bearer":
        problems.append(
            "securitySchemes.tokenAuth: not an HTTP bearer scheme (the header's prefix must be in the schema)"
        )
    for path, item in schema["paths"].items():
        for method in METHODS:
            operation = item.get(method)
            if operation is None:
                continue
            where = f"{method.upper()} {path}"
            # One content type per request body: JSON, or multipart where files go.
            body = operation.get("requestBody")
            if body:
                types = sorted(body.get("content", {}))
                if types == [MULTIPART]:
                    if not _has_binary(schema, body["content"][MULTIPART]["schema"]):
                        problems.append(f"{where}: a multipart body without a file (send JSON)")
                elif types != [JSON]:
                    problems.append(
                        f"{where}: request content types {types} (one: JSON, or multipart for files)"
                    )
                for content in body.get("content", {}).values():
                    _typed(schema, content["schema"], f"{where} body", problems, set())
                    _bounded(schema, content["schema"], f"{where} body", problems, set())
            # Honest security: what a call needs, stated per operation.
            security = operation.get("security", schema.get("security"))
            if (method, path) in NO_CREDENTIALS and security and {} not in security:
                problems.append(f"{where}: needs no credentials, but its security requires some")
            for requirement in security or []:
                for name in requirement:
                    if name not in schemes:
                        problems.append(f"{where}: security scheme {name!r} is not defined")
            # Parameters: typed; `size` and `cursor` the only paging ones.
            names = set()
            for parameter in operation.get("parameters", []):
                names.add(parameter["name"])
                if "type" not in parameter.get("schema", {}) and "enum" not in parameter.get(
                    "schema", {}
                ):
                    problems.append(f"{where}: parameter {parameter['name']!r} has no type")
            for old in ("page_size", "page", "offset", "limit"):
                if old in names:
                    problems.append(f"{where}: parameter {old!r} (page with `cursor` and `size`)")
            # Responses: typed, errors in the one shape, lists paged one way.
            for status, response in operation.get("responses", {}).items():
                content = response.get("content", {})
                if status.startswith(("4", "5")) and status != "414":
                    ref = content.get(JSON, {}).get("schema", {}).get("$ref", "")
                    if not ref.endswith("/ApiError"):
                        problems.append(f"{where} {status}: not the ApiError shape")
                    continue
                for media, answer in content.items():
                    if media != JSON:
                        problems.append(f"{where} {status}: answers {media}, not JSON")
                        continue
                    _typed(schema, answer["schema"], f"{where} {status}", problems, set())
                    top = resolve(schema, answer["schema"])
                    if method == "get" and top.get("type") == "array" and path not in WHOLE_LISTS:
                        problems.append(
                            f"{where} {status}: a bare list (page it: results, next_cursor)"
                        )
                    properties = top.get("properties", {})
                    if "results" in properties:
                        for field in ("next_cursor", "next"):
                            if field not in properties:
                                problems.append(f"{where} {status}: a page without `{field}`")
                        if "previous" in properties:
                            problems.append(f"{where} {status}: `previous` (pages go forward only)")
                        if not {"cursor", "size"} <= names:
                            problems.append(
                                f"{where}: a page without the `cursor` and `size` parameters"
                            )
    return problems
