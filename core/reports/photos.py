"""Photos: decoded, turned upright, stripped of every metadata (EXIF, GPS, ICC, XMP) and
re-encoded as JPEG before they are stored, so nothing the phone wrote is ever published."""

from __future__ import annotations

import io
import secrets
import warnings
from dataclasses import dataclass

from PIL import Image, ImageOps, UnidentifiedImageError

from core.errors import InvalidInput

MAX_SIDE = 2560  # larger photos are scaled down: enough to see a defect, small to serve
MAX_PIXELS = 40_000_000  # refuse decompression bombs before decoding
QUALITY = 85


@dataclass(frozen=True)
class CleanPhoto:
    """A re-encoded JPEG with no metadata, and its size."""

    content: bytes
    width: int
    height: int


def new_media_key() -> str:
    """A random, unguessable key for the photo's public URL."""
    return secrets.token_urlsafe(16)


def clean(content: bytes, index: int = 0) -> CleanPhoto:
    """Decode any image Pillow reads, apply its EXIF orientation, drop all metadata, re-encode."""
    location = f"photos[{index}]"
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(content)) as image:
                if image.width * image.height > MAX_PIXELS:
                    raise InvalidInput("the photo has too many pixels", location=location)
                # A JPEG far larger than we keep decodes at 1/2, 1/4 or 1/8 scale: much cheaper.
                image.draft("RGB", (MAX_SIDE, MAX_SIDE))
                image.load()
                upright = ImageOps.exif_transpose(image)
    except (
        UnidentifiedImageError,
        OSError,
        ValueError,
        Image.DecompressionBombError,
        Image.DecompressionBombWarning,
    ) as exc:
        raise InvalidInput(
            "not an image we can read (JPEG, PNG, WebP, GIF)",
            location=location,
            code="bad_photo",
        ) from exc
    rgb = upright.convert("RGB")
    rgb.thumbnail((MAX_SIDE, MAX_SIDE))
    # A fresh image holds pixels only: no info dict, no EXIF, no ICC profile is carried over.
    bare = Image.new("RGB", rgb.size)
    bare.paste(rgb)
    out = io.BytesIO()
    bare.save(out, format="JPEG", quality=QUALITY)
    return CleanPhoto(out.getvalue(), bare.width, bare.height)
