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
