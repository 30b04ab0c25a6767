"""Draw the demo site photos (core/projects/demo/photos/*.png): no network, no image library.

Flat 320x240 pictures of a construction site — sky, ground, a crane, a building going up, a
fence in the works' colour — deterministic, so running it twice writes the same bytes.

    python scripts/make_demo_photos.py
"""

from __future__ import annotations

import struct
import sys
import zlib
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "core" / "projects" / "demo" / "photos"
WIDTH, HEIGHT = 320, 240
SKY, GROUND, CRANE, FENCE = (150, 195, 230), (120, 100, 80), (240, 180, 30), (40, 110, 60)
SITES = {  # name: (building colour, storeys built, crane x)
    "kyiv-school.png": ((200, 90, 70), 3, 60),
    "kyiv-bridge.png": ((150, 150, 160), 1, 250),
    "kyiv-hospital.png": ((230, 230, 220), 5, 80),
    "seoul-school.png": ((210, 120, 90), 4, 240),
    "seoul-road.png": ((90, 90, 95), 0, 40),
    "seoul-housing.png": ((180, 170, 150), 6, 270),
}


def _pixel(x: int, y: int, building: tuple[int, int, int], storeys: int, crane: int) -> bytes:
    horizon = 170
    colour = SKY if y < horizon else GROUND
    top = horizon - 18 * storeys
    if 110 <= x <= 210 and top <= y < horizon:
        colour = building
        if (x - 110) % 20 in range(6, 14) and (y - top) % 18 in range(5, 12):
            colour = (60, 80, 110)  # windows
    if crane - 3 <= x <= crane + 3 and 30 <= y < horizon:
        colour = CRANE
    if 30 <= y <= 36 and min(crane, 160) <= x <= max(crane, 160):
        colour = CRANE  # the jib
    if horizon - 14 <= y < horizon and (x // 8) % 2 == 0:
        colour = FENCE
    return bytes(colour)


def png(building: tuple[int, int, int], storeys: int, crane: int) -> bytes:
    rows = b"".join(
        b"\x00" + b"".join(_pixel(x, y, building, storeys, crane) for x in range(WIDTH))
        for y in range(HEIGHT)
    )

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", WIDTH, HEIGHT, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows, 9))
        + chunk(b"IEND", b"")
    )


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    for name, (building, storeys, crane) in SITES.items():
        (OUT / name).write_bytes(png(building, storeys, crane))
    sys.stdout.write(f"wrote {len(SITES)} photos to {OUT.name}/\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
