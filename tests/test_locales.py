"""Catalogs: the template matches the source, and every shipped locale is complete.

Rule: en is a full catalog like the others (msgstr == msgid), so "untranslated" means the same
thing in every locale: an empty msgstr.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po

from bot.ui.i18n import DOMAIN, LOCALES_DIR, make_i18n
from core.config import SUPPORTED_LOCALES

ROOT = Path(__file__).resolve().parents[1]
PLACEHOLDER = re.compile(r"\{[a-z_]*\}")


def _read(path: Path, locale: str | None = None) -> Catalog:
    with path.open("rb") as handle:
        return read_po(handle, locale=locale)


def _ids(catalog: Catalog) -> set[object]:
    return {message.id for message in catalog if message.id}


def test_template_is_up_to_date_with_the_source(tmp_path: Path) -> None:
    fresh = tmp_path / "messages.pot"
    pybabel = Path(sys.executable).parent / "pybabel"
    command = [str(pybabel), "extract", "-F", "babel.cfg", "-k", "__", "--omit-header"]
    # The venv's own pybabel, with fixed arguments.
    subprocess.run(  # noqa: S603
        [*command, "-o", str(fresh), "."], cwd=ROOT, check=True, capture_output=True
    )
    stale = _ids(_read(fresh)) ^ _ids(_read(LOCALES_DIR / "messages.pot"))
    assert not stale, (
        f"locales/messages.pot is stale (run `make locales`): {sorted(map(str, stale))}"
    )


@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
def test_locale_is_complete_and_matches_the_template(locale: str) -> None:
    template = _ids(_read(LOCALES_DIR / "messages.pot"))
    catalog = _read(LOCALES_DIR / locale / "LC_MESSAGES" / f"{DOMAIN}.po", locale)
    assert _ids(catalog) == template, "run `make locales` (pybabel update)"
    for message in catalog:
        if not message.id:
            continue
        strings = [
            str(s)
            for s in (message.string if isinstance(message.string, tuple) else (message.string,))
        ]
        assert all(strings), f"{locale}: untranslated {message.id!r}"
        assert not message.fuzzy, f"{locale}: fuzzy {message.id!r}"
        source = str(message.id[0] if isinstance(message.id, tuple) else message.id)
        for text in strings:
            assert set(PLACEHOLDER.findall(text)) == set(PLACEHOLDER.findall(source)), (
                f"{locale}: placeholders differ in {message.id!r}"
            )


def test_catalogs_compile_and_translate(tmp_path: Path) -> None:
    copy = tmp_path / "locales"
    shutil.copytree(LOCALES_DIR, copy, ignore=shutil.ignore_patterns("*.mo"))
    i18n = make_i18n("en", copy)
    assert i18n.available_locales == tuple(sorted(SUPPORTED_LOCALES))
    assert i18n.gettext("🔎 Search", locale="uk") == "🔎 Пошук"
    assert i18n.gettext("🔎 Search", locale="ko") == "🔎 검색"
    assert i18n.gettext("🔎 Search", locale="en") == "🔎 Search"
