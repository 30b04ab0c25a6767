"""Small valid OC4IDS packages built in code, so each test says what it needs."""

from __future__ import annotations

import copy
from typing import Any

KYIV = (50.4501, 30.5234)  # Maidan Nezalezhnosti
SEOUL = (37.5663, 126.9779)  # Seoul City Hall


def project(
    pid: str, lat: float | None = None, lon: float | None = None, **extra: Any
) -> dict[str, Any]:
    """A valid project; a point location when lat/lon are given (written [lon, lat])."""
    record: dict[str, Any] = {
        "id": pid,
        "title": f"Project {pid}",
        "description": f"Works for {pid}",
        "status": "implementation",
        "sector": ["transport", "transport.road"],
        "period": {"startDate": "2026-01-01T00:00:00Z", "endDate": "2026-12-31T00:00:00Z"},
        "budget": {"amount": {"amount": 1500000.5, "currency": "UAH"}},
        "publicAuthority": {"id": "UA-KMDA", "name": "Kyiv City State Administration"},
        "parties": [
            {
                "id": "UA-KMDA",
                "name": "Kyiv City State Administration",
                "roles": ["publicAuthority", "buyer"],
                "contactPoint": {"name": "Olena Petrenko", "email": "o.petrenko@example.org"},
            },
            {"id": "UA-EDR-1", "name": "Budova LLC", "roles": ["supplier"]},
        ],
        "metrics": [
            {
                "id": "physicalProgress",
                "observations": [
                    {"id": "1", "measure": "40", "period": {"endDate": "2026-06-01T00:00:00Z"}},
                    {"id": "2", "measure": "55", "period": {"endDate": "2026-10-01T00:00:00Z"}},
                ],
            }
        ],
        "updated": "2026-10-02T10:00:00Z",
    }
    if lat is not None and lon is not None:
        record["locations"] = [
            {
                "id": "1",
                "description": "Site",
                "geometry": {"type": "Point", "coordinates": [lon, lat]},
            }
        ]
    record.update(extra)
    return record


def package(*projects: dict[str, Any]) -> dict[str, Any]:
    """A package around the given projects."""
    return {
        "version": "0.9",
        "uri": "https://example.org/packages/1.json",
        "publishedDate": "2026-10-02T10:00:00Z",
        "publisher": {"name": "Test publisher"},
        "projects": [copy.deepcopy(p) for p in projects],
    }
