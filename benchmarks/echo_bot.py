"""`python benchmarks/echo_bot.py`: the bot benchmark's echo bot as a process of its own.

Started by benchmarks/bot_load.py with TELEGRAM_BOT_TOKEN and TELEGRAM_API_URL of the fake
server, like `clearsite bot`; long-polls until SIGTERM. Same Bot (JSON session), the same
aiogram Dispatcher with its default FSM middleware, no database: answers each location "ok".
Its CPU time per update is what aiogram and the transport cost one bot process with no work.
"""

import asyncio
import os
import signal
import sys
from pathlib import Path

# The repository root goes first so that `import bot` finds the package, not benchmarks/bot.py.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pydantic import SecretStr

from bot.config import BotSettings
from core.config import DbSettings, TelegramSettings


async def serve() -> None:
    """Poll the fake until SIGTERM."""
    from bot_load import echo_app

    settings = BotSettings(
        db=DbSettings(),
        telegram=TelegramSettings(
            telegram_bot_token=SecretStr(os.environ["TELEGRAM_BOT_TOKEN"]),
            telegram_api_url=os.environ["TELEGRAM_API_URL"],
        ),
    )
    app = echo_app(settings)
    stop = asyncio.Event()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)
    polling = asyncio.create_task(
        app.dispatcher.start_polling(app.bot, handle_signals=False, close_bot_session=True)
    )
    await stop.wait()
    await app.dispatcher.stop_polling()
    await polling


if __name__ == "__main__":
    asyncio.run(serve())
