"""The project card: delay, money, parties, localized text."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from core.errors import NotFound
from core.projects.queries import delay_days
from tests.conftest import UowFactory
from tests.samples import KYIV, package, project

TODAY = date(2026, 11, 1)


@pytest.mark.parametrize(
    ("planned", "completed", "status", "expected"),
    [
        (date(2026, 10, 1), None, "implementation", 31),
        (date(2026, 12, 1), None, "implementation", 0),
        (date(2026, 9, 1), date(2026, 9, 11), "completion", 10),
        (date(2026, 9, 1), None, "maintenance", 0),
        (date(2026, 9, 1), None, "cancelled", None),
        (None, None, "implementation", None),
    ],
)
def test_delay_days(
    planned: date | None, completed: date | None, status: str, expected: int | None
) -> None:
    assert delay_days(planned, completed, status, TODAY) == expected


async def test_card_has_everything_a_citizen_sees(uow: UowFactory) -> None:
    record = project(
        "late",
        *KYIV,
        title_uk="Ремонт дороги",
        description_uk="Опис",
        period={"startDate": "2026-01-01T00:00:00Z", "endDate": "2026-10-01T00:00:00Z"},
    )
    record["locations"][0]["address"] = {"streetAddress": "Khreshchatyk 1", "locality": "Kyiv"}
    async with uow() as svc:
        await svc.projects.import_package(package(record))
        card = await svc.projects.get_card("late", lang="uk")
        english = await svc.projects.get_card("late", lang="ko")
    assert card.title == "Ремонт дороги"
    assert card.description == "Опис"
    assert english.title == "Project late"
    assert card.delay_days == 31  # the test clock says 2026-11-01 in Kyiv
    assert card.budget is not None
    assert (card.budget.amount, card.budget.currency) == (Decimal("1500000.50"), "UAH")
    assert (card.progress_pct, card.progress_date) == (55.0, date(2026, 10, 1))
    assert card.public_authority is not None
    assert card.public_authority.contact_name == "Olena Petrenko"
    assert [s.name for s in card.suppliers] == ["Budova LLC"]
    assert card.locations[0].address == "Khreshchatyk 1, Kyiv"
    assert (card.locations[0].lat, card.locations[0].lon) == KYIV
    assert card.sectors == ("transport", "transport.road")


async def test_unknown_project_is_not_found(uow: UowFactory) -> None:
    async with uow() as svc:
        with pytest.raises(NotFound) as caught:
            await svc.projects.get_card("nope")
    assert caught.value.code == "project_not_found"
