"""`clearsite …`: argument parsing and dispatch to the command functions."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from collections.abc import Sequence
from typing import TypeAlias

from bot.ui.lazy_types import import_aiogram
from clearsite import commands, source_commands
from clearsite.settings import AllSettings
from core.errors import DomainError
from core.logging import configure_logging

logger = logging.getLogger("clearsite")

# The commands that talk to Telegram; admin commands start without aiogram.
SERVING_COMMANDS = frozenset({"run", "api", "bot", "notifier"})


def build_parser() -> argparse.ArgumentParser:
    """The whole command tree."""
    parser = argparse.ArgumentParser(
        prog="clearsite",
        description="Clearsite: public construction transparency over Telegram.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    sub.add_parser("run", help="migrate, load demo data if empty, run api + bot + notifier")
    sub.add_parser("api", help="run the HTTP API only")
    sub.add_parser("bot", help="run the Telegram bot only")
    sub.add_parser("notifier", help="run the scheduler and delivery engine only")

    db = sub.add_parser("db", help="database schema").add_subparsers(dest="action", required=True)
    db.add_parser("upgrade", help="migrate the database to the latest schema")
    backup = db.add_parser("backup", help="online backup of the SQLite database to PATH")
    backup.add_argument("path", metavar="PATH")
    backup.add_argument("--force", action="store_true", help="overwrite PATH if it exists")

    health = sub.add_parser("health", help="container health check: is the heartbeat fresh?")
    health.add_argument("--heartbeat", required=True, metavar="PATH", help="HEARTBEAT_FILE")
    health.add_argument("--max-age", type=float, default=60.0, metavar="SECONDS")

    demo = sub.add_parser("demo", help="demo data").add_subparsers(dest="action", required=True)
    demo.add_parser("load", help="load the Kyiv/Seoul demo projects (idempotent)")

    sync = sub.add_parser("sync", help="import data").add_subparsers(dest="action", required=True)
    oc4ids = sync.add_parser("oc4ids", help="import an OC4IDS project package")
    oc4ids.add_argument("source", metavar="PATH|URL")

    apikey = sub.add_parser("apikey", help="API keys").add_subparsers(dest="action", required=True)
    create = apikey.add_parser("create", help="create a key and print it once")
    create.add_argument("--role", required=True, choices=["sync", "official", "app"])
    create.add_argument("--name", required=True)
    apikey.add_parser("list", help="list keys (never the keys themselves)")
    revoke = apikey.add_parser("revoke", help="revoke a key by id")
    revoke.add_argument("key_id", type=int, metavar="ID")

    official = sub.add_parser("official", help="officials").add_subparsers(
        dest="action", required=True
    )
    add = official.add_parser("add", help="allow a Telegram user to broadcast")
    add.add_argument("--telegram-id", required=True, type=int)
    add.add_argument("--name", required=True)
    official.add_parser("list", help="list officials")
    assign = official.add_parser(
        "assign", help="make an official answer a project's or sector's reports"
    )
    assign.add_argument("--telegram-id", required=True, type=int)
    target = assign.add_mutually_exclusive_group(required=True)
    target.add_argument("--project", metavar="ID", help="an OC4IDS project id")
    target.add_argument("--sector", metavar="CODE", help="an OC4IDS sector code, e.g. transport")
    _add_wage_commands(sub, sync)
    source_commands.add_parsers(sub)
    return parser


Subparsers: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"


def _add_wage_commands(sub: Subparsers, sync: Subparsers) -> None:
    wages = sync.add_parser("wages", help="import wage data (JSON, a CSV, or a directory of CSVs)")
    wages.add_argument("path", metavar="PATH")
    wages.add_argument("--kind", choices=["workers", "schedules", "entries"], help="CSV list")
    worker = sub.add_parser("worker", help="workers").add_subparsers(dest="action", required=True)
    code = worker.add_parser("link-code", help="a single-use code that links a worker's Telegram")
    code.add_argument("worker_id", metavar="WORKER_ID")


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `clearsite` command."""
    args = build_parser().parse_args(argv)
    settings = AllSettings()
    configure_logging(settings.log.log_level, json_output=settings.log.log_format == "json")
    handlers = {**commands.HANDLERS, **source_commands.HANDLERS}
    handler = handlers[(args.command, getattr(args, "action", None))]
    if args.command in SERVING_COMMANDS:
        import_aiogram()
    try:
        return asyncio.run(handler(args, settings))
    except DomainError as exc:
        sys.stderr.write(f"error: {exc.detail}\n")
        return 2
    except KeyboardInterrupt:
        return 130
