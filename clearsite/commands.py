"""The command functions behind `clearsite …`; each prints what it did."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from collections.abc import Awaitable, Callable, Coroutine
from pathlib import Path
from typing import Any

from sqlalchemy.exc import OperationalError, ProgrammingError

from clearsite import migrate
from clearsite.ops import cmd_health
from clearsite.settings import AllSettings
from clearsite.wage_files import read_wage_files
from core.backup import backup_sqlite
from core.context import DomainContext
from core.db import make_engine, make_session_factory
from core.errors import DomainError
from core.projects.importer import demo_package, fetch_package
from core.projects.schemas import SyncResult
from core.services import Services
from core.uow import unit_of_work
from core.wages.policy import WagePolicy

logger = logging.getLogger(__name__)

Handler = Callable[[argparse.Namespace, AllSettings], Coroutine[Any, Any, int]]


def _out(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


async def _in_uow(settings: AllSettings, work: Callable[[Services], Awaitable[None]]) -> None:
    engine = make_engine(settings.db.database_url)
    try:
        ctx = DomainContext(
            zone=settings.locale.zone, report_target_hours=settings.reports.report_target_hours
        )
        async with unit_of_work(make_session_factory(engine), ctx) as svc:
            await work(svc)
    except (OperationalError, ProgrammingError) as exc:
        if "no such table" in str(exc) or "does not exist" in str(exc):
            raise DomainError(
                "the database has no Clearsite schema yet: run `clearsite db upgrade` first",
                code="schema_missing",
            ) from exc
        raise
    finally:
        await engine.dispose()


def _sync_line(result: SyncResult) -> str:
    return f"created {result.created}, updated {result.updated}, unchanged {result.unchanged}"


async def cmd_db_upgrade(_args: argparse.Namespace, settings: AllSettings) -> int:
    """Migrate to the latest schema."""
    await asyncio.to_thread(migrate.upgrade, settings.db.database_url)
    _out("database is at the latest schema")
    return 0


async def cmd_db_backup(args: argparse.Namespace, settings: AllSettings) -> int:
    """Online SQLite backup."""
    target = Path(args.path)
    _out(f"backing up to {target} …")
    size = await asyncio.to_thread(
        backup_sqlite, settings.db.database_url, target, overwrite=args.force
    )
    _out(f"backup written: {target} ({size} bytes)")
    return 0


async def cmd_demo_load(_args: argparse.Namespace, settings: AllSettings) -> int:
    """Load the demo package."""

    async def work(svc: Services) -> None:
        _out("demo data: " + _sync_line(await svc.projects.import_package(demo_package())))

    await _in_uow(settings, work)
    return 0


async def cmd_sync_oc4ids(args: argparse.Namespace, settings: AllSettings) -> int:
    """Import a package from a file or URL."""
    _out(f"reading {args.source} …")
    package = await fetch_package(args.source)
    count = len(package.get("projects") or []) if isinstance(package, dict) else 0
    _out(f"validating and importing {count} projects …")

    async def work(svc: Services) -> None:
        _out("sync: " + _sync_line(await svc.projects.import_package(package)))

    await _in_uow(settings, work)
    return 0


async def cmd_apikey_create(args: argparse.Namespace, settings: AllSettings) -> int:
    """Create a key and print it once."""

    async def work(svc: Services) -> None:
        created = await svc.api_keys.create(args.name, args.role)
        _out(f"API key {created.id} ({created.role}, {created.name}) — shown only now:")
        _out(created.key)

    await _in_uow(settings, work)
    return 0


async def cmd_apikey_list(_args: argparse.Namespace, settings: AllSettings) -> int:
    """List keys."""

    async def work(svc: Services) -> None:
        keys = await svc.api_keys.list()
        _out(f"{'ID':>4}  {'ROLE':8}  {'PREFIX':10}  {'CREATED':20}  {'STATUS':8}  NAME")
        for k in keys:
            status = "revoked" if k.revoked_at else "active"
            created = k.created_at.strftime("%Y-%m-%d %H:%M UTC")
            _out(f"{k.id:>4}  {k.role:8}  {k.prefix:10}  {created:20}  {status:8}  {k.name}")
        if not keys:
            _out("(no API keys)")

    await _in_uow(settings, work)
    return 0


async def cmd_apikey_revoke(args: argparse.Namespace, settings: AllSettings) -> int:
    """Revoke a key."""

    async def work(svc: Services) -> None:
        key = await svc.api_keys.revoke(args.key_id)
        _out(f"API key {key.id} ({key.name}) is revoked")

    await _in_uow(settings, work)
    return 0


async def cmd_official_add(args: argparse.Namespace, settings: AllSettings) -> int:
    """Register an official."""

    async def work(svc: Services) -> None:
        official = await svc.officials.add(args.telegram_id, args.name)
        _out(f"official {official.name} (Telegram id {official.telegram_id}) may now broadcast")

    await _in_uow(settings, work)
    return 0


async def cmd_official_list(_args: argparse.Namespace, settings: AllSettings) -> int:
    """List officials."""

    async def work(svc: Services) -> None:
        for official in await svc.officials.list():
            state = "active" if official.is_active else "inactive"
            _out(f"{official.telegram_id}  {state}  {official.name}")

    await _in_uow(settings, work)
    return 0


async def cmd_official_assign(args: argparse.Namespace, settings: AllSettings) -> int:
    """Assign an official to a project or a sector: its citizen reports go to them."""

    async def work(svc: Services) -> None:
        done = await svc.reports.assign(
            args.telegram_id, project_id=args.project, sector=args.sector
        )
        _out(f"official {done.official_id} now answers reports of {done.scope} {done.target}")

    await _in_uow(settings, work)
    return 0


async def cmd_run(_args: argparse.Namespace, settings: AllSettings) -> int:
    """Everything in one process."""
    from clearsite.serve import roles_for, supervise, with_sandbox
    from sandbox.app import local_base

    await cmd_db_upgrade(_args, settings)

    async def load_if_empty(svc: Services) -> None:
        if await svc.projects.count() == 0:
            _out("empty database: loading demo data …")
            _out("demo data: " + _sync_line(await svc.projects.import_package(demo_package())))

    await _in_uow(settings, load_if_empty)
    _out(f"Clearsite API on http://{settings.api.api_host}:{settings.api.api_port}/docs")
    sandbox = None
    if settings.telegram.telegram_bot_token is None:
        settings, sandbox = with_sandbox(settings)
        await _in_uow(settings, sandbox.prepare)
        page = local_base(settings.api.api_host, settings.api.api_port) + "/sandbox"
        _out(f"No TELEGRAM_BOT_TOKEN: sandbox mode. Open {page}")
    return await supervise(roles_for(["api", "notifier", "bot"], settings, sandbox))


def _single(role: str) -> Handler:
    async def run(_args: argparse.Namespace, settings: AllSettings) -> int:
        from clearsite.serve import roles_for, supervise

        return await supervise(roles_for([role], settings))

    return run


async def cmd_sync_wages(args: argparse.Namespace, settings: AllSettings) -> int:
    """Import wage data from a JSON file, a CSV file, or a directory of CSVs (one transaction)."""
    parts = await asyncio.to_thread(read_wage_files, Path(args.path), args.kind)
    policy = WagePolicy.from_settings(settings.wages, settings.locale)

    async def work(svc: Services) -> None:
        for kind, payload in parts:
            if kind is None:
                result = await svc.wages.sync_json(payload, policy)
            else:
                result = await svc.wages.sync_csv(kind, payload, policy)
            for name in ("workers", "schedules", "entries"):
                c = getattr(result, name)
                if c.created or c.updated or c.unchanged:
                    _out(
                        f"{name}: created {c.created}, updated {c.updated}, "
                        f"unchanged {c.unchanged}"
                    )
            _out(f"events {result.events}, alerts {result.alerts}")

    await _in_uow(settings, work)
    return 0


async def cmd_worker_link_code(args: argparse.Namespace, settings: AllSettings) -> int:
    """Print a single-use link code and deep link for a worker."""
    policy = WagePolicy.from_settings(settings.wages, settings.locale)

    async def work(svc: Services) -> None:
        created = await svc.wages.create_link_code(args.worker_id, policy)
        _out(f"code: {created.code}")
        _out(f"deep link: {created.deep_link or '(set TELEGRAM_BOT_USERNAME)'}")
        _out(f"valid until: {created.expires_at.strftime('%Y-%m-%d %H:%M UTC')}")

    await _in_uow(settings, work)
    return 0


HANDLERS: dict[tuple[str, str | None], Handler] = {
    ("run", None): cmd_run,
    ("api", None): _single("api"),
    ("bot", None): _single("bot"),
    ("notifier", None): _single("notifier"),
    ("db", "upgrade"): cmd_db_upgrade,
    ("db", "backup"): cmd_db_backup,
    ("health", None): cmd_health,
    ("demo", "load"): cmd_demo_load,
    ("sync", "oc4ids"): cmd_sync_oc4ids,
    ("sync", "wages"): cmd_sync_wages,
    ("worker", "link-code"): cmd_worker_link_code,
    ("apikey", "create"): cmd_apikey_create,
    ("apikey", "list"): cmd_apikey_list,
    ("apikey", "revoke"): cmd_apikey_revoke,
    ("official", "add"): cmd_official_add,
    ("official", "list"): cmd_official_list,
    ("official", "assign"): cmd_official_assign,
}
