"""The OpenAPI document: the error shape every route really answers, and bodies we read."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from pydantic import BaseModel

_REF = "#/components/schemas/{model}"


class FieldError(BaseModel):
    """One invalid field: where it is (`["query", "status"]`, `["body", "text", "en"]`) and why."""

    loc: list[str | int]
    msg: str


class ErrorBody(BaseModel):
    """Every error: a stable machine `code` and a `detail` (a text, or a list of field errors)."""

    code: str
    detail: str | list[FieldError]


def errors(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """`responses=` for routes that may answer these error statuses with an ErrorBody."""
    words = {
        401: "No, or an invalid, API key",
        403: "The key's role may not do this",
        404: "No such thing",
        409: "Conflicts with the current state",
        413: "Request body too large",
        422: "Invalid input; `detail` names the field",
    }
    return {s: {"model": ErrorBody, "description": words[s]} for s in statuses}


KEYED = errors(401, 403, 422)
UPLOAD = errors(413)


def json_body(model: type[BaseModel], description: str = "") -> dict[str, Any]:
    """`openapi_extra` for a route that reads `model` from a JSON body itself."""
    schema = {"$ref": _REF.format(model=model.__name__)}
    body = {"required": True, "content": {"application/json": {"schema": schema}}}
    if description:
        body["description"] = description
    return {"requestBody": body}


def install_openapi(app: FastAPI, body_models: tuple[type[BaseModel], ...]) -> None:
    """Generate the document once, adding the schemas of bodies the routes read themselves."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            document = get_openapi(
                title=app.title,
                version=app.version,
                description=app.description,
                routes=app.routes,
            )
            schemas = document.setdefault("components", {}).setdefault("schemas", {})
            for model in body_models:
                schema = model.model_json_schema(ref_template=_REF)
                for name, sub in schema.pop("$defs", {}).items():
                    schemas.setdefault(name, sub)
                schemas.setdefault(model.__name__, schema)
            app.openapi_schema = document
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
