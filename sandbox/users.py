"""The simulated Telegram users of the sandbox: a citizen, a linked worker and an official."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from botapi_emulator import BotApiEmulator, EmulatedUser, bad_request
from botapi_emulator.files import MAX_PHOTO_UPLOAD
from botapi_emulator.images import image_size
from core.config import SUPPORTED_LOCALES


@dataclass
class SimulatedUser:
    """A Telegram user in their private chat with the bot (chat id == user id)."""

    id: int
    first_name: str
    role: str
    language_code: str

    def telegram(self) -> dict[str, Any]:
        """The User object Telegram puts in this user's updates."""
        return {
            "id": self.id,
            "is_bot": False,
            "first_name": self.first_name,
            "language_code": self.language_code,
        }

    def view(self) -> dict[str, Any]:
        """What the page shows about the user."""
        return {
            "id": self.id,
            "name": self.first_name,
            "role": self.role,
            "language": self.language_code,
        }


CITIZEN_ID, WORKER_ID, OFFICIAL_ID = 700000001, 700000002, 700000003


def default_users() -> dict[int, SimulatedUser]:
    """The three users side by side on the page, with fixed ids."""
    users = (
        SimulatedUser(CITIZEN_ID, "Olena", "citizen", "uk"),
        SimulatedUser(WORKER_ID, "Petro", "worker", "uk"),
        SimulatedUser(OFFICIAL_ID, "Official", "official", "en"),
    )
    return {u.id: u for u in users}


class Client:
    """What a Telegram app does for the simulated users: turn their actions into updates."""

    def __init__(self, emulator: BotApiEmulator, users: dict[int, SimulatedUser]) -> None:
        self.emulator = emulator
        self.users = users

    def user(self, user_id: int) -> SimulatedUser:
        """One simulated user; 400 for an unknown id."""
        user = self.users.get(user_id)
        if user is None:
            raise bad_request("unknown sandbox user")
        return user

    def _app(self, user_id: int) -> EmulatedUser:
        # Made for each action, so that updates carry the app's current language.
        user = self.user(user_id)
        return self.emulator.user(user.id, user.first_name, language_code=user.language_code)

    async def send_text(self, user_id: int, text: str) -> int:
        """Text or a command (with the bot_command entity Telegram adds); the message id."""
        text = text.strip()
        if not text:
            raise bad_request("message text is empty")
        app = self._app(user_id)
        if text.startswith("/"):
            await app.send_command(text[:4096])
        else:
            await app.send_text(text[:4096])
        return _sent_message_id(app)

    async def send_location(self, user_id: int, lat: float, lon: float) -> int:
        """Share a location; the message id."""
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise bad_request("wrong location")
        app = self._app(user_id)
        await app.send_location(lat, lon)
        return _sent_message_id(app)

    async def send_photo(self, user_id: int, data: bytes, caption: str | None = None) -> int:
        """A photo message (an image the user picked); the message id."""
        if image_size(data) is None:
            raise bad_request("IMAGE_PROCESS_FAILED")
        if len(data) > MAX_PHOTO_UPLOAD:
            raise bad_request("file is too big")
        app = self._app(user_id)
        await app.send_photo(data, caption.strip()[:1024] if caption and caption.strip() else None)
        return _sent_message_id(app)

    async def press(self, user_id: int, message_id: int, data: str) -> str:
        """Press an inline button of a bot message in the user's chat; the callback query id."""
        self.user(user_id)
        if self.emulator.state.message(user_id, message_id) is None:
            raise bad_request("message not found")
        app = self._app(user_id)
        await app.press(data, message_id, strict=False)
        assert app.last_update is not None  # noqa: S101 - press() just set it
        return str(app.last_update["callback_query"]["id"])

    def set_language(self, user_id: int, language: str) -> None:
        """The app's language: new updates carry it as language_code."""
        if language not in SUPPORTED_LOCALES:
            raise bad_request(f"language must be one of {', '.join(SUPPORTED_LOCALES)}")
        self.user(user_id).language_code = language


def _sent_message_id(app: EmulatedUser) -> int:
    assert app.last_update is not None  # noqa: S101 - a send just set it
    return int(app.last_update["message"]["message_id"])
