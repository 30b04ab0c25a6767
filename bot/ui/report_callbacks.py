"""Inline button payloads of citizen reports (64 bytes at most, as every callback data).

The notifier puts `ReportAct` on the officials' notices and `ReportFeedback` on the "Is it
solved?" question, so the bot's handlers understand the buttons of those messages.
"""

from __future__ import annotations

from aiogram.filters.callback_data import CallbackData

# What an official can do with a report (ReportAct.a).
ACK, PROGRESS, RESOLVE, NOT_OURS, DUPLICATE, REJECT, REPLY, BLOCK = (
    "ack",
    "prog",
    "res",
    "nours",
    "dup",
    "rej",
    "reply",
    "block",
)
# The report's own message: reject once confirmed, or back to its buttons (cancel a step).
REJECT_CONFIRMED, BACK = "rejy", "back"
ACTIONS = (
    ACK,
    PROGRESS,
    RESOLVE,
    NOT_OURS,
    DUPLICATE,
    REJECT,
    REPLY,
    BLOCK,
    REJECT_CONFIRMED,
    BACK,
)
EXPECTED_DAYS = (1, 3, 7, 14, 30)
FEEDBACK = ("yes", "partly", "no")


class ReportNew(CallbackData, prefix="rq"):
    """Start a report: about a project (its card's button), or empty for "share a place"."""

    p: str = ""


class ReportPlace(CallbackData, prefix="rn"):
    """The n-th project near the shared location (kept in the FSM data); -1: just the place."""

    n: int


class ReportCategory(CallbackData, prefix="rc"):
    """The category (Open311 service code)."""

    c: str


class ReportPhotosDone(CallbackData, prefix="rd"):
    """No (more) photos: go on to filing."""

    v: int = 1


class ReportFollow(CallbackData, prefix="rf"):
    """ "Is it one of these?": follow that report instead of filing a new one."""

    id: int


class ReportFileAnyway(CallbackData, prefix="rg"):
    """ "Is it one of these?": none of them, file mine."""

    v: int = 1


class ReportCancel(CallbackData, prefix="rx"):
    """Leave the report flow; nothing is written."""

    v: int = 1


class ReportOpen(CallbackData, prefix="ro"):
    """Open a report's thread."""

    id: int


class ReportsPage(CallbackData, prefix="rp"):
    """A page of /reports, the chat's own reports (0: the newest)."""

    p: int


class ReportReply(CallbackData, prefix="rr"):
    """The reporter replies in the thread (the next text message)."""

    id: int


class ReportFeedback(CallbackData, prefix="rb"):
    """ "Is it solved?": yes, partly or no."""

    id: int
    v: str


class ReportRate(CallbackData, prefix="rt"):
    """The rating (1-5) of the answer, after "Is it solved?"."""

    id: int
    v: str
    n: int


class ReportPublic(CallbackData, prefix="rl"):
    """The public questions and reports of a project, with their answers."""

    p: str


class ReportAct(CallbackData, prefix="ra"):
    """An official's action on a report (see ACTIONS)."""

    id: int
    a: str


class ReportExpected(CallbackData, prefix="re"):
    """In progress, expected done in `d` days."""

    id: int
    d: int
