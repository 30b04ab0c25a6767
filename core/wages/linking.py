"""Link codes: single use, stored hashed, expiring; a lockout after repeated wrong codes."""

from __future__ import annotations

import hashlib
import logging
import secrets
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from core.chats.models import Chat
from core.db import insert_ignoring_duplicates
from core.errors import NotFound
from core.projects import queries as project_queries
from core.projects.models import Project
from core.wages.models import Employment, LinkAttempt, LinkCode, Worker
from core.wages.schemas import LinkCodeCreated, LinkResult

logger = logging.getLogger(__name__)

# No 0/O, 1/I/L: codes are read off paper and typed on phones.
ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 10
MAX_FAILURES = 5
LOCK_WINDOW = timedelta(hours=1)


def normalize_code(code: str) -> str:
    """Upper case without spaces or dashes, as people type it."""
    return "".join(ch for ch in code.upper() if ch.isalnum())


def hash_code(code: str) -> str:
    """Codes are random and short-lived and tries are rate-limited, so SHA-256 suffices."""
    return hashlib.sha256(normalize_code(code).encode()).hexdigest()


def deep_link(bot_username: str | None, code: str) -> str | None:
    """https://t.me/<bot>?start=w_<code>, or None when the bot's username is not configured."""
    return f"https://t.me/{bot_username}?start=w_{code}" if bot_username else None


async def create_code(
    session: AsyncSession, worker_id: str, now: datetime, ttl_hours: int, bot_username: str | None
) -> LinkCodeCreated:
    """A new single-use code for a worker; NotFound for an unknown worker."""
    if await session.get(Worker, worker_id) is None:
        raise NotFound(f"worker {worker_id!r} not found", code="worker_not_found")
    code = "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))
    expires_at = now + timedelta(hours=ttl_hours)
    session.add(
        LinkCode(
            code_hash=hash_code(code), worker_id=worker_id, created_at=now, expires_at=expires_at
        )
    )
    await session.flush()
    logger.info("link code created for worker %s", worker_id)
    return LinkCodeCreated(
        worker_id=worker_id,
        code=code,
        deep_link=deep_link(bot_username, code),
        expires_at=expires_at,
    )


async def locked_until(session: AsyncSession, chat_id: int, now: datetime) -> datetime | None:
    """When the chat may try again, if 5 wrong codes within an hour locked it out."""
    recent = list(
        await session.scalars(
            select(LinkAttempt.attempted_at)
            .where(LinkAttempt.chat_id == chat_id, LinkAttempt.is_success.is_(False))
            .where(LinkAttempt.attempted_at > now - 2 * LOCK_WINDOW)
            .order_by(LinkAttempt.attempted_at.desc())
            .limit(MAX_FAILURES)
        )
    )
    if len(recent) < MAX_FAILURES or recent[0] - recent[-1] > LOCK_WINDOW:
        return None
    until = recent[0] + LOCK_WINDOW
    return until if now < until else None


async def redeem(
    session: AsyncSession, chat_id: int, code: str, now: datetime, lang: str | None = None
) -> LinkResult:
    """Link the chat to the code's worker (projects named in `lang` when the record has it);
    a wrong, used or expired code is counted."""
    until = await locked_until(session, chat_id, now)
    if until is not None:
        return LinkResult(status="locked", locked_until=until)
    row = await session.scalar(
        select(LinkCode).where(LinkCode.code_hash == hash_code(code)).with_for_update()
    )
    is_valid = row is not None and row.used_at is None and row.expires_at > now
    session.add(LinkAttempt(chat_id=chat_id, attempted_at=now, is_success=is_valid))
    if row is None or not is_valid:
        await session.flush()
        logger.info("wrong link code from chat %s", chat_id)
        until = await locked_until(session, chat_id, now)
        return LinkResult(status="locked" if until else "invalid", locked_until=until)
    row.used_at = now
    await _link(session, row.worker_id, chat_id, now)
    logger.info("chat %s linked to worker %s", chat_id, row.worker_id)
    return await _linked(session, row.worker_id, lang)


async def _link(session: AsyncSession, worker_id: str, chat_id: int, now: datetime) -> None:
    # One chat <-> one worker: a chat that linked someone before now links this worker instead.
    await insert_ignoring_duplicates(
        session, Chat, [{"id": chat_id, "first_seen_at": now, "last_seen_at": now}], unique=["id"]
    )
    await session.execute(
        update(Worker)
        .where(Worker.chat_id == chat_id, Worker.id != worker_id)
        .values(chat_id=None, linked_at=None)
    )
    await session.flush()
    await session.execute(
        update(Worker).where(Worker.id == worker_id).values(chat_id=chat_id, linked_at=now)
    )


async def _linked(session: AsyncSession, worker_id: str, lang: str | None) -> LinkResult:
    name = await session.scalar(select(Worker.full_name).where(Worker.id == worker_id))
    rows = await session.execute(
        select(Employment.project_id, Project.title, Project.titles)
        .outerjoin(Project, Project.id == Employment.project_id)
        .where(Employment.worker_id == worker_id)
        .order_by(Employment.start_date.desc(), Employment.id)
    )
    titles = [
        project_id if title is None else project_queries.localized(title, variants, lang)
        for project_id, title, variants in rows
    ]
    return LinkResult(
        status="linked",
        worker_id=worker_id,
        first_name=(name or "").split()[0] if name else None,
        project_titles=tuple(dict.fromkeys(titles)),
    )


async def unlink(session: AsyncSession, chat_id: int) -> bool:
    """Remove the chat's link to its worker; whether there was one."""
    ids = list(
        await session.scalars(
            update(Worker)
            .where(Worker.chat_id == chat_id)
            .values(chat_id=None, linked_at=None)
            .returning(Worker.id)
        )
    )
    if ids:
        logger.info("chat %s unlinked from worker %s", chat_id, ids[0])
    return bool(ids)
