"""Issue 10, item 16: 'an OpenAPI description of every saved query and its parameters at
`/queries/openapi.json`'. The description is valid OpenAPI 3 (checked by
openapi-spec-validator), names every saved query with its parameters, and a client that
follows it alone gets answers."""

from __future__ import annotations

from urllib.parse import urlencode

from openapi_spec_validator import validate

from memorial_graph import saved_queries
from tests.conftest import ROOT

SAVED = saved_queries.load_all(ROOT / "queries")


def description(client) -> dict:
    r = client.get("/queries/openapi.json")
    assert r.status_code == 200 and r.is_json
    return r.json


def test_the_description_is_valid_openapi_3(client):
    spec = description(client)
    assert spec["openapi"].startswith("3.")
    validate(spec)


def test_every_saved_query_is_described_with_its_parameters(client):
    paths = description(client)["paths"]
    for name, query in SAVED.items():
        operation = paths[f"/queries/{name}"]["get"]
        assert operation["summary"] == query.title
        params = {p["name"]: p for p in operation["parameters"] if p["in"] == "query"}
        for p in query.params:
            assert params[p.name]["required"] is (not p.optional)
            assert params[p.name]["description"]
        assert f"/queries/{name}.rq" in paths


def test_a_client_following_the_description_gets_answers(client):
    spec = description(client)
    for path, item in spec["paths"].items():
        operation = item["get"]
        values = {p["name"]: p["example"] for p in operation.get("parameters", [])
                  if p["in"] == "query" and "example" in p}
        media_type = next(iter(operation["responses"]["200"]["content"]))
        r = client.get(path + ("?" + urlencode(values) if values else ""),
                       headers={"Accept": media_type})
        assert r.status_code == 200, (path, r.data[:300])
        assert r.mimetype == media_type, path
