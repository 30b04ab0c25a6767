"""Great-circle distance and the bounding box that prefilters a radius search."""

from __future__ import annotations

import math
from typing import NamedTuple

EARTH_RADIUS_M = 6_371_008.8  # mean Earth radius (IUGG)


class Box(NamedTuple):
    """A latitude/longitude rectangle; lon bounds are None when the box spans every longitude."""

    min_lat: float
    max_lat: float
    min_lon: float | None
    max_lon: float | None


def haversine_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in metres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(a)))


def bounding_box(lat: float, lon: float, radius_m: float) -> Box:
    """The smallest lat/lon box that holds every point within `radius_m` of (lat, lon)."""
    angular = radius_m / EARTH_RADIUS_M
    dlat = math.degrees(angular)
    min_lat, max_lat = lat - dlat, lat + dlat
    if min_lat <= -90 or max_lat >= 90:
        return Box(max(min_lat, -90.0), min(max_lat, 90.0), None, None)
    sin_ratio = math.sin(angular) / math.cos(math.radians(lat))
    if sin_ratio >= 1:
        return Box(min_lat, max_lat, None, None)
    dlon = math.degrees(math.asin(sin_ratio))
    if lon - dlon < -180 or lon + dlon > 180:
        # Crossing the antimeridian: fall back to every longitude (rare; still exact).
        return Box(min_lat, max_lat, None, None)
    return Box(min_lat, max_lat, lon - dlon, lon + dlon)
