"""The relevance set (tests/data/search_relevance.json) on the demo projects, per language."""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

from core.projects.importer import demo_package
from core.projects.queries import ProjectQuery
from tests.conftest import UowFactory

SET = Path(__file__).resolve().parent.parent / "data" / "search_relevance.json"
TOP = 5
# Every query passes today; the floor leaves room for a deliberate trade-off, no more.
FLOOR = 0.95


async def test_relevance_set_per_language(uow: UowFactory) -> None:
    queries = json.loads(SET.read_text(encoding="utf-8"))["queries"]
    assert len(queries) >= 60
    async with uow() as svc:
        await svc.projects.import_package(demo_package())
    firsts: dict[str, list[float]] = defaultdict(list)
    recalls: dict[str, list[float]] = defaultdict(list)
    async with uow() as svc:
        for item in queries:
            page = await svc.projects.find(ProjectQuery(q=item["q"], limit=TOP))
            found, wanted = [p.id for p in page.items], set(item["relevant"])
            firsts[item["lang"]].append(float(bool(found) and found[0] in wanted))
            recalls[item["lang"]].append(len(set(found) & wanted) / min(TOP, len(wanted)))
    assert set(firsts) == {"en", "ko", "uk"}
    for lang, hits in firsts.items():
        assert sum(hits) / len(hits) >= FLOOR, lang
        assert sum(recalls[lang]) / len(recalls[lang]) >= FLOOR, lang
