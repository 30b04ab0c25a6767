"""/settings: quiet hours, silent or held, area updates at once or daily, project mutes."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from aiogram import F, Router
from aiogram.filters import Command
from aiogram.types import CallbackQuery, Message
from aiogram.utils.i18n import lazy_gettext as __

from bot.handlers.common import acknowledge, answer, chat_of
from bot.ui import callbacks as cb
from bot.ui import settings_ui as ui
from core.services import Services

router = Router(name=__name__)


async def _show(
    event: Message | CallbackQuery, svc: Services, chat_id: int, locale: str, zone: ZoneInfo
) -> None:
    current = await svc.notification_settings.get(chat_id, locale)
    now = svc.ctx.clock()
    await answer(
        event, ui.settings_text(current, zone, locale, now), ui.settings_keyboard(current, now)
    )


@router.message(Command("settings"))
@router.message(F.text == __("⚙️ Settings"))
async def show(message: Message, svc: Services, locale: str, zone: ZoneInfo) -> None:
    """The chat's notification settings, with buttons to change them."""
    await _show(message, svc, message.chat.id, locale, zone)


@router.callback_query(cb.SetQuiet.filter(F.v.in_(cb.QUIET_PRESETS)))
async def set_quiet(
    callback: CallbackQuery, callback_data: cb.SetQuiet, svc: Services, locale: str, zone: ZoneInfo
) -> None:
    """Quiet hours: one of the presets, or off."""
    chat_id = chat_of(callback)
    await svc.notification_settings.set_quiet_hours(chat_id, ui.quiet_value(callback_data.v) or "")
    await acknowledge(callback, ui.saved())
    await _show(callback, svc, chat_id, locale, zone)


@router.callback_query(cb.SetQuietHold.filter())
async def set_hold(
    callback: CallbackQuery,
    callback_data: cb.SetQuietHold,
    svc: Services,
    locale: str,
    zone: ZoneInfo,
) -> None:
    """During quiet hours: hold messages until the end, or send them silently."""
    chat_id = chat_of(callback)
    await svc.notification_settings.set_quiet_hold(chat_id, callback_data.on)
    await acknowledge(callback, ui.saved())
    await _show(callback, svc, chat_id, locale, zone)


@router.callback_query(cb.SetDigest.filter(F.h.in_(cb.DIGEST_HOURS)))
async def set_digest(
    callback: CallbackQuery,
    callback_data: cb.SetDigest,
    svc: Services,
    locale: str,
    zone: ZoneInfo,
) -> None:
    """Area updates at once, or one digest a day at the chosen hour."""
    chat_id = chat_of(callback)
    hour = None if callback_data.h < 0 else callback_data.h
    await svc.notification_settings.set_digest_hour(chat_id, hour)
    await acknowledge(callback, ui.saved())
    await _show(callback, svc, chat_id, locale, zone)


@router.callback_query(cb.MuteProject.filter())
async def mute(
    callback: CallbackQuery,
    callback_data: cb.MuteProject,
    svc: Services,
    locale: str,
    zone: ZoneInfo,
) -> None:
    """Mute a followed project for a week, or unmute it."""
    chat_id = chat_of(callback)
    await svc.notification_settings.mute_project(chat_id, callback_data.id, callback_data.on)
    await acknowledge(callback, ui.saved())
    await _show(callback, svc, chat_id, locale, zone)
