"""The test suite. aiogram is imported as the service's processes import it: its Telegram types
are built on first use (bot/ui/lazy_types.py), so the tests exercise that path."""

from bot.ui.lazy_types import import_aiogram

import_aiogram()
