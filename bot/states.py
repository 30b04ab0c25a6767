"""FSM states of multi-step conversations."""

from __future__ import annotations

from aiogram.fsm.state import State, StatesGroup


class Compose(StatesGroup):
    """An official composing a broadcast: audience, then the text, then confirmation."""

    audience = State()
    words = State()
    project = State()
    location = State()
    radius = State()
    text = State()
    confirm = State()


class Reporting(StatesGroup):
    """A citizen filing a question or report: place, category, text, photos, similar ones."""

    place = State()
    category = State()
    text = State()
    photos = State()
    similar = State()
    reply = State()


class Answering(StatesGroup):
    """An official's next text message about a report: an answer, a referral note, the
    original of a duplicate, or the reason to block the sender."""

    answer = State()
    referral = State()
    duplicate = State()
    block = State()
