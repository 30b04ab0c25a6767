"""The command menu, registered with setMyCommands for each shipped language."""

from __future__ import annotations

from aiogram import Bot
from aiogram.types import BotCommand, BotCommandScopeChat
from aiogram.utils.i18n import I18n

from core.config import SUPPORTED_LOCALES


def command_list(i18n: I18n, locale: str) -> list[BotCommand]:
    """The citizen and worker commands with descriptions in `locale`."""

    def _(text: str) -> str:
        return i18n.gettext(text, locale=locale)

    return [
        BotCommand(command="start", description=_("Start: menu and location button")),
        BotCommand(command="near", description=_("Public works near a location")),
        BotCommand(command="search", description=_("Search public works by words")),
        BotCommand(command="subscriptions", description=_("What you follow")),
        BotCommand(command="report", description=_("Ask a question or report a problem")),
        BotCommand(command="reports", description=_("Your questions and reports")),
        BotCommand(command="settings", description=_("Quiet hours, digests, mutes")),
        BotCommand(command="wages", description=_("Your wages (once linked)")),
        BotCommand(command="link", description=_("Link your wage records with a code")),
        BotCommand(command="unlink", description=_("Stop wage alerts to this chat")),
        BotCommand(command="language", description=_("Change the language")),
        BotCommand(command="help", description=_("What this bot can do")),
        BotCommand(command="cancel", description=_("Leave the current step")),
    ]


def official_command_list(i18n: I18n, locale: str) -> list[BotCommand]:
    """Everyone's commands plus /broadcast (before language, help and cancel)."""

    def _(text: str) -> str:
        return i18n.gettext(text, locale=locale)

    commands = command_list(i18n, locale)
    broadcast = BotCommand(command="broadcast", description=_("Send an announcement (officials)"))
    return [*commands[:-3], broadcast, *commands[-3:]]


async def register_official_commands(bot: Bot, i18n: I18n, chat_id: int, locale: str) -> None:
    """An official's own menu, shown in their chat only (citizens never see /broadcast)."""
    scope = BotCommandScopeChat(chat_id=chat_id)
    await bot.set_my_commands(official_command_list(i18n, locale), scope=scope)


async def register_commands(bot: Bot, i18n: I18n) -> None:
    """Default (no language) in the default locale, then one list per shipped language."""
    await bot.set_my_commands(command_list(i18n, i18n.default_locale))
    for locale in SUPPORTED_LOCALES:
        await bot.set_my_commands(command_list(i18n, locale), language_code=locale)
