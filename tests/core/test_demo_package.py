"""The demo data a uk or ko reader sees: every visible name in their language too, and a few
projects with the money down the chain and site photos shipped in the repository."""

from __future__ import annotations

from typing import Any

import pytest

from botapi_emulator.images import image_size
from core.projects.importer import demo_package
from core.projects.photo_files import demo_photo
from tests.conftest import UowFactory

LANGUAGES = ("uk", "ko")
ADDRESS_NAMES = ("locality", "region", "countryName")


def _city_projects() -> list[dict[str, Any]]:
    projects = demo_package()["projects"]
    made = [p for p in projects if p["id"].startswith(("oc4ids-uakyiv-", "oc4ids-krseou-"))]
    assert len(made) == 150
    return made


def _untranslated(record: dict[str, Any], field: str) -> list[str]:
    if not record.get(field):
        return []
    return [f"{field}_{lang}" for lang in LANGUAGES if not record.get(f"{field}_{lang}")]


def test_every_visible_name_is_also_in_ukrainian_and_korean() -> None:
    missing: list[str] = []
    for project in _city_projects():
        for party in project["parties"]:
            missing += [
                f"{project['id']} {party['id']}: {m}" for m in _untranslated(party, "name")
            ]
            contact = party.get("contactPoint") or {}
            missing += [f"{project['id']} {party['id']} contact: {m}"
                        for m in _untranslated(contact, "name")]  # fmt: skip
        for location in project["locations"]:
            missing += [f"{project['id']}: {m}" for m in _untranslated(location, "description")]
            address = location.get("address") or {}
            for field in ADDRESS_NAMES:
                missing += [f"{project['id']}: {m}" for m in _untranslated(address, field)]
    assert missing == []


def test_a_few_projects_carry_payments_and_shipped_site_photos() -> None:
    projects = _city_projects()
    paid = [
        p["id"]
        for p in projects
        for process in p.get("contractingProcesses", [])
        if process.get("summary", {}).get("transactions")
        and process["summary"].get("contractValue")
    ]
    photos = [
        d["url"]
        for p in projects
        for d in p.get("documents", [])
        if d.get("documentType") == "illustration"
    ]
    assert len(set(paid)) >= 5
    assert len(photos) >= 5
    for url in photos:
        data = demo_photo(url)
        assert data is not None, url  # shipped in the repository, no network
        assert image_size(data) is not None, url


@pytest.mark.parametrize("lang", LANGUAGES)
async def test_a_demo_card_names_its_parties_in_the_readers_language(
    uow: UowFactory, lang: str
) -> None:
    record = next(p for p in _city_projects() if p.get("contractingProcesses"))
    async with uow() as svc:
        await svc.projects.import_package(demo_package())
        card = await svc.projects.get_card(record["id"], lang=lang)
    names = {party["id"]: party[f"name_{lang}"] for party in record["parties"]}
    assert card.public_authority is not None
    assert card.public_authority.name == names[card.public_authority.id]
    assert card.suppliers
    assert all(s.name == names[s.id] for s in card.suppliers)
    assert card.money is not None
