"""/settings: the text and buttons of a chat's notification settings (HTML; titles escaped)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup
from aiogram.utils.i18n import gettext as _

from bot.ui import callbacks as cb
from bot.ui import formats
from bot.ui.texts import esc
from core.chats.schemas import NotificationSettingsRead

MAX_PROJECT_BUTTONS = 10
TITLE_CHARS = 60


def window_text(value: str) -> str:
    """`22:00-08:00` with an en dash; `off` in words."""
    return _("off") if value == "off" else value.replace("-", "\N{EN DASH}")


def _preset_value(preset: str) -> str:
    """A button's `2200-0800` as the service's `22:00-08:00`."""
    if preset == "off":
        return preset
    start, end = preset.split("-")
    return f"{start[:2]}:{start[2:]}-{end[:2]}:{end[2:]}"


def quiet_value(preset: str) -> str | None:
    """The quiet hours a button stands for; None for data no button sends."""
    return _preset_value(preset) if preset in cb.QUIET_PRESETS else None


def settings_text(s: NotificationSettingsRead, zone: ZoneInfo, locale: str, now: datetime) -> str:
    """The settings in words."""
    lines = [_("⚙️ <b>Notification settings</b>"), ""]
    quiet = _("🌙 Quiet hours: {window} ({zone} time)").format(
        window=window_text(s.quiet_hours), zone=esc(str(zone))
    )
    if s.quiet_is_default:
        quiet += " " + _("— the service's default")
    lines.append(quiet)
    if s.quiet_hours != "off":
        lines.append(
            _("During them, messages are held until they end.")
            if s.quiet_hold
            else _("During them, messages arrive silently.")
        )
    lines.append(
        _(
            "Urgent messages (marked so by officials, failed wage payments) always come at "
            "once, with sound."
        )
    )
    lines.append("")
    if s.digest_hour is None:
        lines.append(_("🗺 Works in the areas you follow: reported at once."))
    else:
        lines.append(
            _("🗺 Works in the areas you follow: one digest a day at {hour}.").format(
                hour=f"{s.digest_hour:02d}:00"
            )
        )
    if s.projects:
        lines += ["", _("📌 Projects you follow:")]
        for number, item in enumerate(s.projects, start=1):
            title = esc(_short(item.title or item.project_id))
            if item.muted_until is not None and item.muted_until > now:
                until = formats.moment(item.muted_until, zone, locale)
                title += " — " + _("muted until {date}").format(date=until)
            lines.append(f"{number}. {title}")
    return "\n".join(lines)


def settings_keyboard(s: NotificationSettingsRead, now: datetime) -> InlineKeyboardMarkup:
    """Quiet hours presets, silent or held, area updates at once or daily, mute per project."""
    current = s.quiet_hours if not s.quiet_is_default else None

    def tick(on: bool, text: str) -> str:
        return ("✓ " if on else "") + text

    quiet_row = [
        InlineKeyboardButton(
            text=tick(_preset_value(p) == current, window_text(_preset_value(p))),
            callback_data=cb.SetQuiet(v=p).pack(),
        )
        for p in cb.QUIET_PRESETS
    ]
    hold_row = [
        InlineKeyboardButton(
            text=tick(not s.quiet_hold, _("🔕 Silently")),
            callback_data=cb.SetQuietHold(on=False).pack(),
        ),
        InlineKeyboardButton(
            text=tick(s.quiet_hold, _("⏸ Hold till morning")),
            callback_data=cb.SetQuietHold(on=True).pack(),
        ),
    ]
    digest_row = [
        InlineKeyboardButton(
            text=tick(s.digest_hour == (None if h < 0 else h), _digest_label(h)),
            callback_data=cb.SetDigest(h=h).pack(),
        )
        for h in cb.DIGEST_HOURS
    ]
    rows = [quiet_row, hold_row, digest_row]
    for number, item in enumerate(s.projects[:MAX_PROJECT_BUTTONS], start=1):
        muted = item.muted_until is not None and item.muted_until > now
        label = _("🔔 Unmute {n}") if muted else _("🔇 Mute {n} for a week")
        data = cb.MuteProject(id=item.project_id, on=not muted)
        try:
            packed = data.pack()  # aiogram refuses more than 64 bytes
        except ValueError:
            continue
        rows.append([InlineKeyboardButton(text=label.format(n=number), callback_data=packed)])
    return InlineKeyboardMarkup(inline_keyboard=rows)


def _digest_label(hour: int) -> str:
    if hour < 0:
        return _("🗺 At once")
    return _("🗞 Daily {hour}").format(hour=f"{hour:02d}:00")


def saved() -> str:
    """The toast after a change."""
    return _("Saved.")


def _short(title: str) -> str:
    return title if len(title) <= TITLE_CHARS else title[: TITLE_CHARS - 1] + "…"
