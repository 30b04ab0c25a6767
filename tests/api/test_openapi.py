"""The OpenAPI document describes the errors the API really answers."""

from __future__ import annotations

from typing import Any

import httpx
from fastapi import FastAPI

from api.openapi import ErrorBody
from tests.api.conftest import make_key
from tests.conftest import UowFactory

ERROR_REF = "#/components/schemas/ErrorBody"
OPEN311_REF = "#/components/schemas/Open311Error"


def _operations(doc: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [(m.upper(), path, op) for path, ops in doc["paths"].items() for m, op in ops.items()]


async def test_every_documented_error_is_the_code_detail_shape(app: FastAPI) -> None:
    doc = app.openapi()
    assert "HTTPValidationError" not in doc["components"]["schemas"]
    keyed = 0
    for method, path, op in _operations(doc):
        for status, response in op["responses"].items():
            if status.startswith("4") and path.startswith("/open311/"):
                schema = response["content"]["application/json"]["schema"]
                assert schema["items"] == {"$ref": OPEN311_REF}, (method, path, status)
            elif status.startswith("4"):
                schema = response["content"]["application/json"]["schema"]
                assert schema == {"$ref": ERROR_REF}, (method, path, status)
        public = ("/api/v1/projects", "/api/v1/authorities", "/api/v1/oc4ids")
        if path.startswith("/api/v1/") and not path.startswith(public):
            keyed += 1
            assert {"401", "403", "422"} <= set(op["responses"]), (method, path)
    assert keyed >= 10


async def test_bodies_read_after_the_key_check_are_documented(app: FastAPI) -> None:
    doc = app.openapi()
    schemas = doc["components"]["schemas"]
    for path, name in (
        ("/api/v1/broadcasts", "BroadcastCreate"),
        ("/api/v1/officials", "OfficialCreate"),
    ):
        body = doc["paths"][path]["post"]["requestBody"]["content"]["application/json"]
        assert body["schema"] == {"$ref": f"#/components/schemas/{name}"}
        assert name in schemas
    refs = str(schemas["BroadcastCreate"])
    assert "#/components/schemas/ProjectAudience" in refs
    assert "ProjectAudience" in schemas


async def test_status_filter_lists_the_allowed_values(app: FastAPI) -> None:
    params = app.openapi()["paths"]["/api/v1/projects"]["get"]["parameters"]
    status = next(p for p in params if p["name"] == "status")
    assert "implementation" in str(status["schema"])


async def test_real_errors_match_the_documented_shape(
    client: httpx.AsyncClient, uow: UowFactory
) -> None:
    sync = await make_key(uow, "sync")
    answers = [
        await client.get("/api/v1/wages/overdue"),  # 401
        await client.get("/api/v1/wages/overdue", headers=sync),  # 403
        await client.get("/api/v1/projects/nope"),  # 404
        await client.get("/api/v1/projects", params={"status": "bogus"}),  # 422
        await client.post("/api/v1/sync/oc4ids", content=b"x" * 70_000, headers=sync),  # 413
    ]
    assert [a.status_code for a in answers] == [401, 403, 404, 422, 413]
    for answer in answers:
        ErrorBody.model_validate(answer.json())
