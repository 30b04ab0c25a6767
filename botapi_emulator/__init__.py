"""A Telegram Bot API emulator: the sandbox's local Bot API, and the fake Telegram of the tests
and benchmarks (recording, scripted faults and rate limits as options, all off by default)."""

from botapi_emulator.emulator import DEFAULT_TOKEN, BotApiEmulator
from botapi_emulator.faults import FaultKind, Violation
from botapi_emulator.params import ApiError, UploadedFile, bad_request
from botapi_emulator.recorder import RecordedCall, WebhookDelivery
from botapi_emulator.users import EmulatedUser
from botapi_emulator.webhook import SECRET_HEADER

__all__ = [
    "DEFAULT_TOKEN",
    "SECRET_HEADER",
    "ApiError",
    "BotApiEmulator",
    "EmulatedUser",
    "FaultKind",
    "RecordedCall",
    "UploadedFile",
    "Violation",
    "WebhookDelivery",
    "bad_request",
]
