"""Validate an OC4IDS project package against the shipped schema; all or nothing."""

from __future__ import annotations

import gc
import json
import math
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import cache
from importlib import resources
from typing import Any

import fastjsonschema
from jsonschema import Draft4Validator
from jsonschema.exceptions import ValidationError, best_match
from pydantic import ValidationError as PydanticValidationError

from core.errors import InvalidInput
from core.projects.mapping import map_record
from core.projects.schemas import ProjectRecordIn

GEOMETRY_DEPTH = {
    "Point": 0,
    "MultiPoint": 1,
    "LineString": 1,
    "MultiLineString": 2,
    "Polygon": 2,
    "MultiPolygon": 3,
}


@cache
def _schema(name: str) -> dict[str, Any]:
    text = resources.files("core.projects").joinpath("schema", name).read_text("utf-8")
    loaded: dict[str, Any] = json.loads(text)
    return loaded


@cache
def _validators() -> tuple[Draft4Validator, Draft4Validator]:
    package = dict(_schema("project-package-schema.json"))
    # Projects are checked one by one below: the schema's uniqueItems over whole records is
    # quadratic in jsonschema, and per-record errors let us name the offending record.
    package["properties"] = {
        **package["properties"],
        "projects": {"type": "array", "minItems": 1},
    }
    return Draft4Validator(package), Draft4Validator(_schema("project-schema.json"))


@cache
def _fast_project_validator() -> Callable[[Any], Any]:
    # use_default=False: by default fastjsonschema writes schema defaults into the record,
    # and records are kept exactly as received.
    compiled: Callable[[Any], Any] = fastjsonschema.compile(
        _schema("project-schema.json"), use_default=False
    )
    return compiled


def _surely_valid_project(project: Any) -> bool:
    """True only when the project schema surely accepts `project` (the fast path).

    jsonschema walks the OC4IDS schema at about half a millisecond a record; fastjsonschema
    compiles the same schema to Python once and checks a record in microseconds. It also checks
    formats, so it is stricter, never looser: when it says no, jsonschema decides and names the
    error exactly as before (tests/core/test_oc4ids_fast_check.py holds it to that).
    """
    try:
        _fast_project_validator()(project)
    except fastjsonschema.JsonSchemaException:
        return False
    return True


def parse_package(package: Any) -> list[ProjectRecordIn]:
    """Check a whole package and map every record, or raise InvalidInput for the first fault."""
    # Mapping allocates millions of small objects that all stay alive: the cyclic garbage
    # collector would walk them again and again (about half the time of a 10,000-project
    # package) to free nothing. This block never awaits, so pausing it here pauses nothing else.
    with _gc_paused():
        return _parse_package(package)


@contextmanager
def _gc_paused() -> Iterator[None]:
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _parse_package(package: Any) -> list[ProjectRecordIn]:
    envelope, project_validator = _validators()
    if not isinstance(package, dict):
        raise InvalidInput("the package must be a JSON object", location="package")
    _raise_first(envelope.iter_errors(package), "package")
    records: list[ProjectRecordIn] = []
    seen: set[str] = set()
    for index, project in enumerate(package["projects"]):
        where = _record_name(index, project)
        if not _surely_valid_project(project):
            _raise_first(project_validator.iter_errors(project), where)
        if project["id"] in seen:
            raise InvalidInput(f"{where}: duplicate project id in package", location=where)
        seen.add(project["id"])
        _check_geometries(project, where)
        try:
            records.append(map_record(project))
        except PydanticValidationError as exc:
            raise _mapped_invalid(exc, where) from exc
        except ValueError as exc:
            raise InvalidInput(f"{where}: {exc}", location=where) from exc
    return records


# Where a mapped value came from in the record, for error messages.
_SOURCE = {
    "budget_amount": "budget/amount/amount",
    "budget_currency": "budget/amount/currency",
    "public_authority_id": "publicAuthority/id",
    "public_authority_name": "publicAuthority/name",
    "sectors": "sector",
    "titles": "title_<language>",
    "descriptions": "description_<language>",
    "points": "locations",
}


def _mapped_invalid(exc: PydanticValidationError, where: str) -> InvalidInput:
    error = exc.errors()[0]
    loc = [str(part) for part in error["loc"]]
    field = "/".join([_SOURCE.get(loc[0], loc[0]), *loc[1:]]) if loc else "(record)"
    message = error["msg"].removeprefix("Value error, ")
    return InvalidInput(f"{where}: field {field}: {message}", location=f"{where}/{field}")


def _record_name(index: int, project: Any) -> str:
    if isinstance(project, dict) and isinstance(project.get("id"), str):
        return f"projects[{index}] (id {project['id']!r})"
    return f"projects[{index}]"


def _raise_first(errors: Any, where: str) -> None:
    error: ValidationError | None = best_match(errors)
    if error is None:
        return
    field = "/".join(str(part) for part in error.absolute_path) or "(record)"
    raise InvalidInput(f"{where}: field {field}: {error.message}", location=f"{where}/{field}")


def _check_geometries(project: dict[str, Any], where: str) -> None:
    for index, location in enumerate(project.get("locations") or []):
        geometry = location.get("geometry")
        if geometry is None:
            continue
        field = f"locations/{index}/geometry"
        kind = geometry.get("type")
        coordinates = geometry.get("coordinates")
        if kind is None or coordinates is None:
            raise InvalidInput(
                f"{where}: field {field}: needs both type and coordinates",
                location=f"{where}/{field}",
            )
        try:
            _check_positions(coordinates, GEOMETRY_DEPTH[kind])
        except ValueError as exc:
            raise InvalidInput(
                f"{where}: field {field}/coordinates: {exc}", location=f"{where}/{field}"
            ) from exc


def _check_positions(value: Any, depth: int) -> None:
    if depth == 0:
        _check_position(value)
        return
    if not isinstance(value, list) or not value:
        raise ValueError("expected a non-empty nested array of [longitude, latitude] positions")
    for item in value:
        _check_positions(item, depth - 1)


def _check_position(value: Any) -> None:
    if not isinstance(value, list) or not 2 <= len(value) <= 3:
        raise ValueError("a position is [longitude, latitude] or [longitude, latitude, elevation]")
    if not all(isinstance(v, int | float) and not isinstance(v, bool) for v in value):
        raise ValueError("positions must be numbers")
    lon, lat = value[0], value[1]
    try:
        finite = all(math.isfinite(v) for v in value)
    except OverflowError:  # an integer too large for a float
        finite = False
    if not finite:
        raise ValueError("positions must be finite numbers")
    if not -180 <= lon <= 180:
        raise ValueError(f"longitude {lon} is outside -180..180 (GeoJSON order is [lon, lat])")
    if not -90 <= lat <= 90:
        raise ValueError(f"latitude {lat} is outside -90..90 (GeoJSON order is [lon, lat])")
