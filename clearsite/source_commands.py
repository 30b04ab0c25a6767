"""`clearsite sources …`: follow OC4IDS feeds, list their health, pull one now."""

from __future__ import annotations

import argparse
from typing import TypeAlias

from pydantic import ValidationError

from clearsite.commands import Handler, _in_uow, _out
from clearsite.settings import AllSettings
from core.context import DomainContext
from core.db import make_engine, make_session_factory
from core.errors import InvalidInput
from core.pulls import pull_source
from core.services import Services
from core.sources.fetch import config_from
from core.sources.schemas import (
    DEFAULT_EVERY_S,
    DEFAULT_SILENCE_S,
    PullReport,
    SourceCreate,
    parse_duration,
)

Subparsers: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"


def add_parsers(sub: Subparsers) -> None:
    """`sources add|list|remove|pull`."""
    sources = sub.add_parser("sources", help="OC4IDS feeds pulled on a schedule")
    actions = sources.add_subparsers(dest="action", required=True)
    add = actions.add_parser("add", help="follow an OC4IDS package URL or paged endpoint")
    add.add_argument("url", metavar="URL")
    add.add_argument("--every", default=f"{DEFAULT_EVERY_S // 3600}h", help="e.g. 30m, 1h, 1d")
    add.add_argument("--name", help="a name for people (default: the host)")
    add.add_argument(
        "--silent-after",
        default=f"{DEFAULT_SILENCE_S // 86400}d",
        help="report the feed when nothing changed for this long (default 7d)",
    )
    actions.add_parser("list", help="sources with their health")
    remove = actions.add_parser("remove", help="stop following a source")
    remove.add_argument("source_id", type=int, metavar="ID")
    pull = actions.add_parser("pull", help="pull one source now, or every source")
    pull.add_argument("source_id", type=int, nargs="?", metavar="ID")


async def cmd_sources_add(args: argparse.Namespace, settings: AllSettings) -> int:
    """Follow a feed."""
    try:
        every, silent = parse_duration(args.every), parse_duration(args.silent_after)
    except ValueError as exc:
        raise InvalidInput(str(exc), location="--every") from exc
    try:
        source = SourceCreate(url=args.url, name=args.name, every_s=every, silence_s=silent)
    except ValidationError as exc:
        problem = exc.errors()[0]
        where = ".".join(str(p) for p in problem["loc"])
        raise InvalidInput(f"{where}: {problem['msg']}", location=where) from exc

    async def work(svc: Services) -> None:
        added = await svc.sources.add(source)
        _out(f"source {added.id} ({added.name}) added: pulled every {args.every}, first now")

    await _in_uow(settings, work)
    return 0


async def cmd_sources_list(_args: argparse.Namespace, settings: AllSettings) -> int:
    """Sources and their health."""

    async def work(svc: Services) -> None:
        sources = await svc.sources.list()
        for s in sources:
            state = "FAILING" if s.is_failing else "SILENT" if s.is_silent else "ok"
            success = (
                s.last_success_at.strftime("%Y-%m-%d %H:%M") if s.last_success_at else "never"
            )
            _out(
                f"{s.id:>4}  {state:7}  {s.name}  {s.url}\n"
                f"      last success {success}; last pull created {s.last_created}, "
                f"updated {s.last_updated}, unchanged {s.last_unchanged}; "
                f"failures in a row {s.consecutive_failures}"
                + (f"; last error: {s.last_error}" if s.last_error else "")
            )
        if not sources:
            _out("(no sources)")

    await _in_uow(settings, work)
    return 0


async def cmd_sources_remove(args: argparse.Namespace, settings: AllSettings) -> int:
    """Stop following a source."""

    async def work(svc: Services) -> None:
        await svc.sources.remove(args.source_id)
        _out(f"source {args.source_id} removed")

    await _in_uow(settings, work)
    return 0


async def cmd_sources_pull(args: argparse.Namespace, settings: AllSettings) -> int:
    """Pull one source (or all) now; exit 1 when a pull failed."""
    ids: list[int] = []

    async def work(svc: Services) -> None:
        ids.extend(
            [args.source_id] if args.source_id else [s.id for s in await svc.sources.list()]
        )
        if args.source_id:
            await svc.sources.get(args.source_id)

    await _in_uow(settings, work)
    engine = make_engine(settings.db.database_url)
    ctx = DomainContext(zone=settings.locale.zone)
    try:
        factory = make_session_factory(engine)
        reports = [await pull_source(factory, ctx, i, config_from(settings.sources)) for i in ids]
    finally:
        await engine.dispose()
    for report in reports:
        _out(_report_line(report))
    return 0 if all(r.ok for r in reports) else 1


def _report_line(report: PullReport) -> str:
    if not report.ok:
        return f"source {report.source_id}: failed: {report.error}"
    if report.not_modified:
        return f"source {report.source_id}: not modified"
    return (
        f"source {report.source_id}: created {report.created}, updated {report.updated}, "
        f"unchanged {report.unchanged} ({report.pages} pages)"
    )


HANDLERS: dict[tuple[str, str | None], Handler] = {
    ("sources", "add"): cmd_sources_add,
    ("sources", "list"): cmd_sources_list,
    ("sources", "remove"): cmd_sources_remove,
    ("sources", "pull"): cmd_sources_pull,
}
