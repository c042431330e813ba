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
