"""The card's figures read from the record: money down the chain, photos, source, languages."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from core.projects.photo_files import DEMO_PHOTO_BASE, demo_photo
from tests.conftest import UowFactory
from tests.samples import KYIV, package, project


def _with_money(pid: str) -> dict[str, Any]:
    record = project(pid, *KYIV)
    record["contractingProcesses"] = [
        {
            "id": "cp-1",
            "summary": {
                "contractValue": {"amount": 1200000, "currency": "UAH"},
                "transactions": [
                    {"id": "t1", "date": "2026-05-04T00:00:00Z",
                     "value": {"amount": 300000, "currency": "UAH"}},
                    {"id": "t2", "date": "2026-09-01T00:00:00Z",
                     "value": {"amount": 200000.5, "currency": "UAH"}},
                ],
            },
        }
    ]  # fmt: skip
    record["documents"] = [
        {"id": "d1", "documentType": "illustration", "url": f"{DEMO_PHOTO_BASE}a.png",
         "title": "Site", "title_uk": "Майданчик"},
        {"id": "d2", "documentType": "projectWebsite", "url": "https://kyivcity.example.org/p/1"},
        {"id": "d3", "format": "image/jpeg", "url": "https://example.org/b.jpg"},
    ]  # fmt: skip
    record["parties"][0]["name_uk"] = "Київська міська державна адміністрація"
    record["locations"][0]["address"] = {"streetAddress": "Khreshchatyk 1",
                                         "streetAddress_uk": "вул. Хрещатик, 1"}  # fmt: skip
    return record


async def test_card_shows_money_photos_and_source_from_the_record(uow: UowFactory) -> None:
    async with uow() as svc:
        await svc.projects.import_package(package(_with_money("m1"), project("bare", *KYIV)))
        card = await svc.projects.get_card("m1", lang="uk")
        bare = await svc.projects.get_card("bare", lang="uk")
    assert card.money is not None
    assert card.money.contract_value is not None
    assert card.money.contract_value.amount == Decimal(1200000)
    assert card.money.paid is not None
    assert (card.money.paid.amount, card.money.paid.currency) == (Decimal("500000.5"), "UAH")
    assert (card.money.last_paid_date, card.money.payments) == (date(2026, 9, 1), 2)
    assert [p.title for p in card.photos] == ["Майданчик", None]
    assert card.source_url == "https://kyivcity.example.org/p/1"
    assert card.record_path == "/api/v1/projects/m1/oc4ids"
    assert card.locations[0].address == "вул. Хрещатик, 1"
    assert card.public_authority is not None
    assert card.public_authority.name == "Київська міська державна адміністрація"
    assert (bare.money, bare.photos, bare.source_url) == (None, (), None)


async def test_photo_file_ids_are_kept_after_the_first_upload(uow: UowFactory) -> None:
    async with uow() as svc:
        await svc.projects.import_package(package(_with_money("m1")))
        first = await svc.projects.get_card("m1")
        assert [p.file_id for p in first.photos] == [None, None]
        await svc.projects.remember_photo_files([(first.photos[0].url, "photo-7")])
        await svc.projects.remember_photo_files([(first.photos[0].url, "photo-8")])
        again = await svc.projects.get_card("m1")
    assert [p.file_id for p in again.photos] == ["photo-7", None]


def test_demo_photos_resolve_only_inside_the_demo_folder() -> None:
    assert demo_photo(f"{DEMO_PHOTO_BASE}../../card.py") is None
    assert demo_photo("https://example.org/a.png") is None
