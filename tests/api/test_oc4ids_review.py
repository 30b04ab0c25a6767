"""The standard's own review tool (libcoveoc4ids) finds no error in what we publish.

libcove fetches the schema over HTTP: a loopback server hands it the schema files we ship
(the same bytes as the standard's 0.9 release, see core/projects/schema/PROVENANCE.md).
"""

from __future__ import annotations

import asyncio
import functools
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from typing import Any

import httpx
import pytest
from libcoveoc4ids.api import oc4ids_json_output
from libcoveoc4ids.config import LibCoveOC4IDSConfig

from api.config import ApiProcessSettings
from api.main import create_app
from core.config import DbSettings, OpenDataSettings
from core.context import DomainContext
from core.projects.importer import demo_package
from tests.conftest import UowFactory


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def schema_host() -> Iterator[str]:
    directory = str(resources.files("core.projects").joinpath("schema"))
    handler = functools.partial(_Quiet, directory=directory)
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/"
    server.shutdown()
    server.server_close()


def _review(package: dict[str, Any], host: str) -> dict[str, Any]:
    config = LibCoveOC4IDSConfig(
        {
            "schema_host": host,
            "schema_version_choices": {"0.9.5": ("0.9.5", host)},
            "schema_codelists": {"0.9": host + "codelists/"},
        }
    )
    result: dict[str, Any] = oc4ids_json_output(json_data=package, lib_cove_oc4ids_config=config)
    return result


async def test_exported_demo_catalogue_has_no_review_errors(
    db_url: str, ctx: DomainContext, uow: UowFactory, schema_host: str
) -> None:
    async with uow() as svc:
        await svc.projects.import_package(demo_package())
    settings = ApiProcessSettings(
        db=DbSettings(database_url=db_url),
        open_data=OpenDataSettings(
            publisher_name="Kyiv City State Administration",
            publisher_scheme="UA-EDR",
            publisher_uid="00022527",
            data_license="https://creativecommons.org/licenses/by/4.0/",
        ),
    )
    app = create_app(settings, ctx)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
            package = (await http.get("/api/v1/oc4ids/package")).json()
    result = await asyncio.to_thread(_review, package, schema_host)
    assert result["validation_errors"] == []
    assert result["conformance_checks"] == []
    assert result["additional_closed_codelist_values"] == {}
    assert len(package["projects"]) == len(demo_package()["projects"])
