"""The fast schema check may only say "valid" when the full OC4IDS validator agrees."""

from __future__ import annotations

import copy
import json
import random
from importlib import resources
from typing import Any

from core.projects import oc4ids
from tests.samples import project

ODD_VALUES: list[Any] = [
    None,
    True,
    False,
    0,
    1,
    1.0,
    -1,
    1.5,
    float("nan"),
    "",
    "x",
    "implementation",
    "Point",
    [],
    [1],
    [""],
    ["a", "a"],
    {},
    {"a": 1},
    [{}],
    [{"id": "1"}, {"id": "1"}],
    [30.5, 50.4],
]


def _demo_projects() -> list[dict[str, Any]]:
    text = resources.files("core.projects").joinpath("demo", "demo-package.json").read_text()
    projects: list[dict[str, Any]] = json.loads(text)["projects"]
    return projects


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix]
    if isinstance(value, dict):
        for key, item in value.items():
            found += _paths(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += _paths(item, (*prefix, index))
    return found


def _mutant(record: dict[str, Any], rng: random.Random) -> dict[str, Any]:
    record = copy.deepcopy(record)
    for _ in range(rng.randint(1, 3)):
        path = rng.choice(_paths(record)[1:])
        parent: Any = record
        for key in path[:-1]:
            parent = parent[key]
        roll = rng.random()
        if roll < 0.3:
            del parent[path[-1]]
        elif roll < 0.8 or not isinstance(parent, list):
            parent[path[-1]] = copy.deepcopy(rng.choice(ODD_VALUES))
        else:
            parent.append(copy.deepcopy(parent[path[-1]]))  # a duplicate item
    return record


def test_the_shipped_schema_compiles_and_accepts_the_demo_records() -> None:
    _, validator = oc4ids._validators()
    for record in [*_demo_projects(), project("p", 50.45, 30.52)]:
        assert validator.is_valid(record)
        assert oc4ids._surely_valid_project(record)


def test_never_valid_when_the_validator_says_invalid() -> None:
    _, validator = oc4ids._validators()
    rng = random.Random(20261129)  # noqa: S311 (test data, not secrets)
    bases = [*_demo_projects()[:40], project("p", 50.45, 30.52)]
    disagreements = []
    for _ in range(3000):
        record = _mutant(rng.choice(bases), rng)
        if oc4ids._surely_valid_project(record) and not validator.is_valid(record):
            disagreements.append(record)
    assert disagreements == []
