"""Text search: inflections, Korean compounds, typos, ranking by field, paging with a total."""

from __future__ import annotations

from typing import Any

import pytest

from core.paging import encode_cursor
from core.projects import search
from core.projects.queries import ProjectQuery
from core.projects.schemas import ProjectPage
from tests.conftest import UowFactory
from tests.samples import KYIV, SEOUL, package, project


def _titled(pid: str, point: tuple[float, float], **texts: Any) -> dict[str, Any]:
    return project(pid, *point, **texts)


@pytest.fixture
async def catalogue(uow: UowFactory) -> None:
    school = _titled(
        "school",
        KYIV,
        title="Construction of a school",
        title_uk="Будівництво школи на вулиці Сагайдачного",
        description_uk="Нова школа на 600 учнів.",
    )
    hospital = _titled(
        "hospital", KYIV, title="Hospital extension", title_uk="Розширення міської лікарні"
    )
    garden = _titled("garden", KYIV, title="Kindergarten", title_uk="Дитячий садок на Оболоні")
    road = _titled("road", SEOUL, title="Road repaving", title_ko="삼양로 노후도로포장 정비 공사")
    bridge = _titled("bridge", KYIV, title="Reconstruction of Paton Bridge")
    builder = _titled("builder", KYIV, title="Repair of a yard")
    builder["parties"] = [
        {"id": "b1", "name": "Dnipro Bridge Builders LLC", "roles": ["supplier"]}
    ]
    async with uow() as svc:
        await svc.projects.import_package(package(school, hospital, garden, road, bridge, builder))


async def _find(uow: UowFactory, q: str, **kw: object) -> ProjectPage:
    async with uow() as svc:
        return await svc.projects.find(ProjectQuery(q=q, **kw))  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("q", "first"),
    [
        ("школа", "school"),
        ("школи", "school"),
        ("шкіл", "school"),
        ("лікарня", "hospital"),
        ("садка", "garden"),
        ("садок", "garden"),
        ("Сагайдачний", "school"),
        ("вулиця Сагайдачного", "school"),
        ("도로", "road"),
        ("도로를", "road"),
        ("노후도로", "road"),
        ("лікраня", "hospital"),  # two letters swapped
        ("hospitl", "hospital"),  # one letter missing
        ("bridges", "bridge"),
        ("hosp", "hospital"),  # a partial word
    ],
)
@pytest.mark.usefixtures("catalogue")
async def test_finds_the_word_in_the_form_typed(uow: UowFactory, q: str, first: str) -> None:
    page = await _find(uow, q)
    assert page.items, q
    assert page.items[0].id == first


@pytest.mark.usefixtures("catalogue")
async def test_a_title_match_ranks_before_a_party_name(uow: UowFactory) -> None:
    page = await _find(uow, "bridge")
    assert [p.id for p in page.items] == ["bridge", "builder"]
    assert page.total == 2


@pytest.mark.usefixtures("catalogue")
async def test_short_typos_and_unknown_words_find_nothing(uow: UowFactory) -> None:
    assert (await _find(uow, "шкпла")).items[0].id == "school"  # one typo in five letters
    assert (await _find(uow, "сдок")).items == ()  # a typo in a word under five letters
    page = await _find(uow, "!!!")
    assert (page.items, page.total) == ((), 0)


async def test_pages_carry_the_total(uow: UowFactory) -> None:
    records = [project(f"s{i:02}", *KYIV, title_uk=f"Ремонт школи №{i}") for i in range(12)]
    async with uow() as svc:
        await svc.projects.import_package(package(*records))
    first = await _find(uow, "школа", limit=5)
    third = await _find(uow, "школа", limit=5, cursor="eyJvIjoxMH0")
    assert (len(first.items), first.total, first.next_cursor is not None) == (5, 12, True)
    assert (len(third.items), third.total, third.next_cursor) == (2, 12, None)
    past = await _find(uow, "школа", limit=5, cursor=encode_cursor(15))
    assert (past.items, past.total, past.next_cursor) == ((), 12, None)


@pytest.mark.parametrize("q", ["bridge", "school hospital", "школа лікарня садок", "도로 공사"])
@pytest.mark.usefixtures("catalogue")
async def test_the_ranked_page_follows_the_ranking_of_every_match(uow: UowFactory, q: str) -> None:
    async with uow() as svc:
        every = await search.all_hits(svc.session, q, [])
        found = await search.search(svc.session, q, [], 0, 100)
    expected = sorted(every.values(), key=lambda h: (-h.words, -h.score, h.project_id))
    assert found.hits == expected
    assert (found.total, found.is_lower_bound) == (len(expected), False)
    async with uow() as svc:
        second = await search.search(svc.session, q, [], 1, 2)
    assert (second.hits, second.total) == (expected[1:3], len(expected))


@pytest.mark.usefixtures("catalogue")
async def test_near_a_point_equals_rank_nearer_first(uow: UowFactory) -> None:
    page = await _find(uow, "school hospital", lat=KYIV[0], lon=KYIV[1], radius_m=5000)
    assert {p.id for p in page.items} == {"school", "hospital"}
    assert page.total == 2


@pytest.mark.usefixtures("catalogue")
async def test_a_resync_reindexes_the_words(uow: UowFactory) -> None:
    renamed = project("hospital", *KYIV, title="Clinic", title_uk="Поліклініка")
    async with uow() as svc:
        await svc.projects.import_package(package(renamed))
    assert (await _find(uow, "лікарня")).items == ()
    assert (await _find(uow, "поліклініки")).items[0].id == "hospital"
