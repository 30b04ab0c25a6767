"""Inline button payloads: short prefixes, because Telegram allows 64 bytes of callback data.

Points travel as integer 1e-5 degrees (about a metre), so list buttons need no server state.
"""

from __future__ import annotations

from aiogram.filters.callback_data import CallbackData

RADII_M = (500, 1000, 2000, 5000)
DEFAULT_RADIUS_M = 1000


def to_e5(degrees: float) -> int:
    """Degrees as integer 1e-5 degrees."""
    return round(degrees * 100_000)


def from_e5(value: int) -> float:
    """Integer 1e-5 degrees back to degrees."""
    return value / 100_000


class NearPage(CallbackData, prefix="n"):
    """A page of projects near a point, within a radius."""

    lat: int
    lon: int
    r: int
    p: int = 0


class SearchPage(CallbackData, prefix="q"):
    """A page of the chat's last text search (the words are kept in the FSM data)."""

    p: int


class OpenCard(CallbackData, prefix="c"):
    """Open a project card."""

    id: str


class CardMore(CallbackData, prefix="cm"):
    """The whole description of a project whose card shows it shortened."""

    id: str


class ProjectSub(CallbackData, prefix="ps"):
    """Subscribe to (on) or unsubscribe from (off) a project."""

    id: str
    on: bool


class AreaSub(CallbackData, prefix="as"):
    """Subscribe to an area: a point and a radius."""

    lat: int
    lon: int
    r: int


class RemoveSub(CallbackData, prefix="rs"):
    """Remove one subscription from /subscriptions."""

    id: int


class SetLanguage(CallbackData, prefix="l"):
    """Choose the chat's language."""

    code: str


class BackToList(CallbackData, prefix="b"):
    """Back from a card to the list it was opened from."""

    v: int = 1


class BcAudience(CallbackData, prefix="ba"):
    """/broadcast: who receives it (project, workers, area or all)."""

    k: str


class BcProject(CallbackData, prefix="bp"):
    """/broadcast: the n-th project of the official's last search (kept in the FSM data)."""

    n: int


class BcRadius(CallbackData, prefix="br"):
    """/broadcast: the radius around the shared point."""

    r: int


class BcSend(CallbackData, prefix="bs"):
    """/broadcast: send the previewed broadcast (go), or leave the flow."""

    go: bool


class BcUrgent(CallbackData, prefix="bu"):
    """/broadcast preview: mark the broadcast urgent (on) or normal."""

    on: bool


class BcExpiry(CallbackData, prefix="bx"):
    """/broadcast preview: copies not sent within `h` hours are dropped (0: never)."""

    h: int


EXPIRY_HOURS = (0, 2, 6, 24)


class SetQuiet(CallbackData, prefix="sq"):
    """/settings: quiet hours `HHMM-HHMM` (local), or `off`."""

    v: str


class SetQuietHold(CallbackData, prefix="sh"):
    """/settings: hold messages through quiet hours (on) or send them silently."""

    on: bool


class SetDigest(CallbackData, prefix="sd"):
    """/settings: area updates once a day at hour `h` (local), or at once (-1)."""

    h: int


class MuteProject(CallbackData, prefix="mp"):
    """/settings: mute a followed project for a week (on), or unmute."""

    id: str
    on: bool


QUIET_PRESETS = ("off", "2200-0700", "2200-0800", "2300-0800")
DIGEST_HOURS = (-1, 8, 12, 19)
