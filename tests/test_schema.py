"""The OpenAPI schema documents every endpoint, the feeds included."""

import pytest

pytestmark = pytest.mark.django_db


def test_the_schema_documents_the_feeds(api):
    response = api.get("/api/v1/schema/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    for path in [
        "/api/v1/feeds/discover/", "/api/v1/feeds/follow/", "/api/v1/feeds/nearby/",
        "/api/v1/feeds/hot/", "/api/v1/feeds/channels/{slug}/", "/api/v1/trending/",
    ]:
        assert path in paths, path
    nearby = {p["name"] for p in paths["/api/v1/feeds/nearby/"]["get"]["parameters"]}
    assert {"lat", "lng", "cursor", "size"} <= nearby
    assert api.get("/api/v1/docs/").status_code == 200


def test_the_schema_generates_without_warnings(tmp_path):
    from django.core.management import call_command

    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yaml"))
    assert (tmp_path / "schema.yaml").stat().st_size > 10_000


# ---------------------------------------------------------------- conventions (docs/api.md)
def _schema() -> dict:
    from drf_spectacular.generators import SchemaGenerator

    return SchemaGenerator().get_schema(request=None, public=True)


def test_the_schema_keeps_the_api_conventions():
    """One content type per body, typed answers, one page shape, one error shape, honest
    security, limits stated: tests/api/conventions.py says what each rule is for."""
    from tests.api.conventions import schema_problems

    assert schema_problems(_schema()) == []


def test_openapi_spec_validator_accepts_the_schema():
    import json

    from openapi_spec_validator import validate

    validate(json.loads(json.dumps(_schema(), default=str)))


def test_the_conventions_catch_what_broke_the_generated_client():
    """Each breach issue #35 met is reported (the check can fail)."""
    from tests.api.conventions import schema_problems

    schema = _schema()
    signup = schema["paths"]["/api/v1/auth/signup/"]["post"]
    json_body = signup["requestBody"]["content"]["application/json"]
    signup["requestBody"]["content"]["application/x-www-form-urlencoded"] = json_body
    schema["paths"]["/api/v1/auth/token/"]["post"]["security"] = [{"tokenAuth": []}]
    post = schema["components"]["schemas"]["Post"]["properties"]
    post["counts"] = {"type": "object", "additionalProperties": {}}
    post["place"] = {"allOf": [{"$ref": "#/components/schemas/PlaceShape"}], "nullable": True}
    boosts = schema["paths"]["/api/v1/boosts/"]["get"]
    boosts["parameters"].append({"name": "page_size", "in": "query", "schema": {"type": "integer"}})
    schema["components"]["schemas"]["TopUpRequest"]["properties"]["key"].pop("maxLength")
    schema["components"]["securitySchemes"]["tokenAuth"] = {"type": "apiKey", "in": "header", "name": "Authorization"}
    problems = "\n".join(schema_problems(schema))
    for expected in [
        "POST /api/v1/auth/signup/: request content types",
        "POST /api/v1/auth/token/: needs no credentials",
        ".counts: additionalProperties of any type",
        ".place: `nullable` without a `type`",
        ".place: `nullable` beside `allOf`",
        "GET /api/v1/boosts/: parameter 'page_size'",
        "POST /api/v1/wallet/topups/ body.key: a string without maxLength",
        "securitySchemes.tokenAuth: not an HTTP bearer scheme",
    ]:
        assert expected in problems, expected


def test_a_response_lists_every_field_it_always_writes_as_required():
    """DRF writes a blank title or a default status too; a generated client must not type
    them optional (config.schema.require_response_fields). Requests keep their own list."""
    components = _schema()["components"]["schemas"]
    post = components["Post"]
    assert {"title", "body", "status", "created_at", "published_at"} <= set(post["required"])
    assert set(post["required"]) == set(post["properties"])
    assert "errors" not in components["ApiError"]["required"]  # only a 400 names fields
    assert "blocked" not in components["Relation"].get("required", [])  # a follow leaves it out
