"""Gettext catalogs (domain `messages`): compiled on start, loaded through aiogram's I18n."""

from __future__ import annotations

from pathlib import Path

from aiogram.utils.i18n import I18n
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from core.config import SUPPORTED_LOCALES

LOCALES_DIR = Path(__file__).resolve().parents[2] / "locales"
DOMAIN = "messages"


def compile_catalogs(path: Path = LOCALES_DIR) -> None:
    """Build each `.mo` from its `.po` when missing or older (`.mo` files are not committed)."""
    for po_path in sorted(path.glob(f"*/LC_MESSAGES/{DOMAIN}.po")):
        mo_path = po_path.with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        with po_path.open("rb") as po_file:
            catalog = read_po(po_file, locale=po_path.parents[1].name, domain=DOMAIN)
        tmp_path = mo_path.with_suffix(".mo.tmp")
        with tmp_path.open("wb") as mo_file:
            write_mo(mo_file, catalog, use_fuzzy=False)
        tmp_path.replace(mo_path)


def make_i18n(default_locale: str = "en", path: Path = LOCALES_DIR) -> I18n:
    """An I18n over the compiled catalogs."""
    compile_catalogs(path)
    return I18n(path=path, default_locale=default_locale, domain=DOMAIN)


def normalize_locale(code: str | None) -> str | None:
    """A shipped locale for a Telegram language code (`uk-UA` -> `uk`), or None."""
    if not code:
        return None
    base = code.replace("_", "-").split("-")[0].lower()
    return base if base in SUPPORTED_LOCALES else None
