"""aiogram's types built on first use (bot/ui/lazy_types.py) behave exactly like the eager build.

Each check runs in a fresh interpreter: how aiogram is imported is decided once per process.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

USER = {"id": 42, "is_bot": False, "first_name": "Olena", "language_code": "uk"}
CHAT = {"id": 42, "type": "private", "first_name": "Olena"}
# Updates that reach deep into the type tree: nested messages, entities naming a user, a
# location, a keyboard, callback queries, membership changes.
UPDATES = [
    {
        "update_id": 1,
        "message": {
            "message_id": 10,
            "date": 1_790_000_000,
            "chat": CHAT,
            "from": USER,
            "text": "@olena see /start",
            "entities": [
                {"type": "text_mention", "offset": 0, "length": 6, "user": USER},
                {"type": "bot_command", "offset": 11, "length": 6},
            ],
            "reply_to_message": {
                "message_id": 9,
                "date": 1_789_999_000,
                "chat": CHAT,
                "location": {"latitude": 50.45, "longitude": 30.52},
                "reply_markup": {
                    "inline_keyboard": [[{"text": "Follow", "callback_data": "f:7"}]]
                },
            },
        },
    },
    {
        "update_id": 2,
        "callback_query": {
            "id": "cb1",
            "from": USER,
            "chat_instance": "ci",
            "data": "f:7",
            "message": {"message_id": 11, "date": 1_790_000_100, "chat": CHAT, "text": "card"},
        },
    },
    {
        "update_id": 3,
        "my_chat_member": {
            "chat": CHAT,
            "from": USER,
            "date": 1_790_000_200,
            "old_chat_member": {"status": "member", "user": USER},
            "new_chat_member": {"status": "kicked", "user": USER, "until_date": 0},
        },
    },
]

# Validates the updates, then builds a sendMessage call with a keyboard and parses its answer:
# everything printed must be the same whichever way the types were built.
EXERCISE = """
import json, sys
from aiogram.methods import SendMessage
from aiogram.methods.base import Response
from aiogram.types import InlineKeyboardMarkup, LinkPreviewOptions, Message, Update
updates = json.loads(sys.argv[1])
out = [Update.model_validate(u).model_dump_json(exclude_none=True) for u in updates]
button = {"text": "a", "url": "https://x.test"}
markup = InlineKeyboardMarkup.model_validate({"inline_keyboard": [[button]]})
call = SendMessage(chat_id=42, text="<b>hi</b>", parse_mode="HTML", reply_markup=markup,
                   link_preview_options=LinkPreviewOptions(is_disabled=True))
out.append(repr(call.model_dump(exclude_none=True)))
chat = {"id": 42, "type": "private"}
answer = {"ok": True, "result": {"message_id": 5, "date": 1790000000, "chat": chat, "text": "hi"}}
out.append(Response[Message].model_validate(answer).model_dump_json(exclude_none=True))
try:
    Update.model_validate({"update_id": "x", "message": {"chat": {}}})
except Exception as exc:
    out.append(type(exc).__name__ + ":" + str(exc.error_count()))
print(json.dumps(out))
"""


def run(code: str, *args: str) -> str:
    done = subprocess.run(  # noqa: S603 - this interpreter, the test's own code
        [sys.executable, "-c", textwrap.dedent(code), *args],
        cwd=ROOT, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_types_are_built_on_first_use() -> None:
    out = run("""
        from bot.ui.lazy_types import import_aiogram
        print(import_aiogram())
        from aiogram.types import Message, Update, User
        print(Message.__pydantic_complete__, Update.__pydantic_complete__)
        User.model_validate({"id": 1, "is_bot": False, "first_name": "A"})
        print(User.__pydantic_complete__)
    """)
    assert out.split("\n") == ["lazy", "False False", "True"]


def test_lazy_and_eager_builds_give_the_same_results() -> None:
    updates = json.dumps(UPDATES)
    eager = run("import aiogram\n" + EXERCISE, updates)
    lazy = run(
        "from bot.ui.lazy_types import import_aiogram\nimport_aiogram()\n" + EXERCISE, updates
    )
    assert lazy == eager
    results = json.loads(lazy)
    assert '"user":{"id":42' in results[0]  # the entity's forward reference was resolved
    assert results[-1] == "ValidationError:5"  # bad input is still refused, field by field


def test_prepare_builds_only_what_a_role_names() -> None:
    out = run("""
        from bot.ui.lazy_types import import_aiogram, prepare
        import_aiogram()
        from aiogram.methods import SendMessage
        from aiogram.types import Update
        prepare([SendMessage])
        print(SendMessage.__pydantic_complete__, Update.__pydantic_complete__)
    """)
    assert out == "True False"


def test_the_fallback_builds_every_type_like_aiogram_does() -> None:
    out = run(
        """
        import json, sys
        from bot.ui import lazy_types
        lazy_types.import_aiogram()
        lazy_types.build_all()
        from aiogram.types import Update
        print(lazy_types.mode(), sum(1 for _ in lazy_types._incomplete_models()))
        print(Update.model_validate(json.loads(sys.argv[1])[0]).message.entities[0].user.id)
        """,
        json.dumps(UPDATES),
    )
    assert out.split("\n") == ["eager 0", "42"]


def test_aiogram_imported_first_is_left_as_it_is() -> None:
    out = run("""
        import aiogram
        from bot.ui.lazy_types import import_aiogram
        from aiogram.types import Message
        print(import_aiogram(), Message.__pydantic_complete__)
    """)
    assert out == "eager True"
