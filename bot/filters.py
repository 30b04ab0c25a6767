"""Role filters, put on a router (`router.message.filter(IsOfficial())`)."""

from __future__ import annotations

from aiogram.filters import Filter
from aiogram.types import CallbackQuery, Message

from core.services import Services


class IsOfficial(Filter):
    """The update comes from an active official, registered with `clearsite official add`."""

    async def __call__(self, event: Message | CallbackQuery, svc: Services) -> bool:
        user = event.from_user
        return user is not None and await svc.officials.is_official(user.id)
