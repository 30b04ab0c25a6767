"""Engine, sessions, and the few places where SQLite and PostgreSQL differ."""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any, cast
from weakref import WeakSet

from sqlalchemy import BigInteger, DateTime, Integer, MetaData, Numeric, event
from sqlalchemy.dialects import registry
from sqlalchemy.dialects.sqlite.aiosqlite import SQLiteDialect_aiosqlite
from sqlalchemy.engine import Dialect, make_url
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from sqlalchemy.ext.asyncio import create_async_engine as _create_async_engine
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.types import TypeDecorator, TypeEngine

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


# SQLite only auto-increments an INTEGER PRIMARY KEY; PostgreSQL gets a 64-bit identity.
BigId = BigInteger().with_variant(Integer(), "sqlite")


class Base(DeclarativeBase):
    """Declarative base for every table, with stable constraint names."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class UtcDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC on both engines (SQLite keeps no zone, so we restore it)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime refused: store UTC-aware times")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class ExactNumeric(TypeDecorator[Decimal]):
    """NUMERIC(precision, scale) read back exactly on SQLite too.

    SQLite keeps NUMERIC as a float; SQLAlchemy would print that float with `scale` places,
    which for large amounts shows the float's error. The float's shortest repr gives back any
    decimal of up to 15 significant digits exactly (what core.inputs lets in).
    """

    impl = Numeric
    cache_ok = True

    def __init__(self, precision: int, scale: int):
        super().__init__(precision, scale)
        self._precision, self._scale = precision, scale
        self._quantum = Decimal(1).scaleb(-scale)

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        if dialect.name == "sqlite":
            return dialect.type_descriptor(Numeric(self._precision, self._scale, asdecimal=False))
        return dialect.type_descriptor(self.impl_instance)

    def process_result_value(self, value: Any, dialect: Dialect) -> Decimal | None:
        if value is None:
            return None
        if isinstance(value, Decimal):
            return value
        return Decimal(repr(float(value))).quantize(self._quantum)


class _AiosqliteDialect(SQLiteDialect_aiosqlite):
    """aiosqlite, without the hops to the connection's thread that do nothing: a COMMIT or a
    ROLLBACK when sqlite3 has no transaction open (a unit of work that only read) does
    nothing in sqlite3 itself, but through aiosqlite it is still a hop to the connection's
    thread and back.

    A commit comes only after every statement of the unit of work has been answered, so the
    flag is true then, and it is skipped when false. A ROLLBACK goes to the connection's
    thread whenever a statement was sent there since its last ROLLBACK there: that statement
    may have been cancelled while still queued (a stop, a timeout), and will open its
    transaction only when it runs; the ROLLBACK, queued behind it, ends that transaction.
    Skipped, it would leave the connection in the pool holding SQLite's write lock. When
    nothing was sent there (the unit of work read only through `sqlite_on_loop`, or nothing
    at all), the thread is idle, and sqlite3's rollback runs on the loop's thread.
    """

    supports_statement_cache = True  # compiles as its parent does

    def create_connect_args(self, url: Any) -> Any:
        """As the parent, and sqlite3's connection usable off aiosqlite's thread (for
        `sqlite_on_loop`) unless the URL or connect_args say otherwise."""
        args, options = super().create_connect_args(url)
        options.setdefault("check_same_thread", False)
        return args, options

    def connect(self, *args: Any, **options: Any) -> Any:
        connection = super().connect(*args, **options)
        if options.get("check_same_thread") is False:
            _ON_LOOP.add(connection.driver_connection)
        return connection

    def do_commit(self, dbapi_connection: Any) -> None:
        if dbapi_connection.driver_connection.in_transaction:
            super().do_commit(dbapi_connection)  # type: ignore[no-untyped-call]

    def do_rollback(self, dbapi_connection: Any) -> None:
        driver = dbapi_connection.driver_connection
        if driver not in _SENT_TO_THREAD and (on_loop := sqlite_on_loop(driver)) is not None:
            on_loop.rollback()
            return
        super().do_rollback(dbapi_connection)  # type: ignore[no-untyped-call]
        _SENT_TO_THREAD.discard(driver)  # answered: nothing is left queued before it

    def do_execute(
        self, cursor: Any, statement: Any, parameters: Any, context: Any = None
    ) -> None:
        _sent_to_thread(cursor)
        super().do_execute(cursor, statement, parameters, context)  # type: ignore[no-untyped-call]

    def do_executemany(
        self, cursor: Any, statement: Any, parameters: Any, context: Any = None
    ) -> None:
        _sent_to_thread(cursor)
        super().do_executemany(cursor, statement, parameters, context)  # type: ignore[no-untyped-call]

    def do_execute_no_params(self, cursor: Any, statement: Any, context: Any = None) -> None:
        _sent_to_thread(cursor)
        super().do_execute_no_params(cursor, statement, context)  # type: ignore[no-untyped-call]

    def do_terminate(self, dbapi_connection: Any) -> None:
        """Roll back, then close a connection SQLAlchemy gives up on (a cancelled statement).

        Its cursor is left open, and sqlite3 closes a connection with an open cursor only as a
        "zombie" that keeps its transaction, and so SQLite's write lock, for as long as the
        cursor lives: a stopping notifier once waited on its own lock. The ROLLBACK is queued
        in the connection's thread behind the statement, so it runs even if this wait is
        cancelled too.
        """
        try:
            dbapi_connection.rollback()
        except BaseException as exc:
            # Cancelled again, or outside a greenlet (garbage collection): close all the same.
            super().do_terminate(dbapi_connection)
            if not isinstance(exc, Exception):
                raise
            return
        super().do_terminate(dbapi_connection)


_AIOSQLITE = "clearsite_aiosqlite"
registry.register(f"sqlite.{_AIOSQLITE}", __name__, "_AiosqliteDialect")

# aiosqlite connections of ours whose sqlite3 connection may be used from any thread.
_ON_LOOP: WeakSet[Any] = WeakSet()
# Those with a statement sent to aiosqlite's thread since their last ROLLBACK there.
_SENT_TO_THREAD: WeakSet[Any] = WeakSet()


def _sent_to_thread(cursor: Any) -> None:
    _SENT_TO_THREAD.add(cursor._adapt_connection.driver_connection)


def sqlite_on_loop(driver: Any) -> sqlite3.Connection | None:
    """The sqlite3 connection under an aiosqlite `driver` connection, to run a short read on
    the event loop's own thread; None when it may only be used from aiosqlite's thread.

    Through aiosqlite a statement is a hop to the connection's thread and back: a queue put
    that wakes the thread, which must then take the interpreter lock from a busy event loop,
    and a wake-up of the loop. Under load those hand-offs cost more than a short indexed read
    itself (the bot's CPU per update fell by a third, benchmarks/bot.py). It is safe to use
    the connection here: a unit of work awaits each statement before the next, so aiosqlite's
    thread is idle while a checked-out connection is not awaiting it; SQLite serialises calls
    on a connection anyway. A read in WAL mode never waits for a writer.
    """
    if driver not in _ON_LOOP:
        return None
    return cast(sqlite3.Connection | None, getattr(driver, "_connection", None))


def sqlite_write_alone(connection: sqlite3.Connection, sql: str, params: Any) -> list[Any] | None:
    """One write statement on the loop's thread, committed at once in a transaction of its own
    (`BEGIN IMMEDIATE`, the statement, `COMMIT`): its rows. None, having done nothing, when
    `connection` has a transaction open or another connection holds SQLite's write lock.

    Through aiosqlite a write holds the database-wide lock across its hops to the connection's
    thread and back, and under load each hop waits for the loop; a second writer meanwhile
    sleeps in SQLite's busy handler, in steps that grow to 100 ms. Here no other task of the
    loop can come between the BEGIN and the COMMIT, so the lock is held for the statement
    alone (well under a millisecond). It never waits: the busy timeout is 0 for the BEGIN,
    and a caller that gets None writes the usual way, which waits its turn.
    """
    if connection.in_transaction:
        return None
    (timeout_ms,) = connection.execute("PRAGMA busy_timeout").fetchone()
    connection.execute("PRAGMA busy_timeout=0")
    try:
        try:
            connection.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            if exc.sqlite_errorcode & 0xFF == sqlite3.SQLITE_BUSY:
                return None
            raise
        try:
            rows = connection.execute(sql, params).fetchall()
            connection.commit()
        except BaseException:
            connection.rollback()
            raise
        return rows
    finally:
        connection.execute(f"PRAGMA busy_timeout={int(timeout_ms)}")


def is_sqlite(url: str) -> bool:
    """Whether a database URL points at SQLite."""
    return url.startswith("sqlite")


def make_engine(
    url: str, *, idle_in_transaction_s: float | None = None, **kwargs: Any
) -> AsyncEngine:
    """An async engine; SQLite gets WAL, foreign keys and a busy timeout on every connection.

    Statement parameters stay out of errors and logs: they may hold a worker's name.
    `idle_in_transaction_s` (PostgreSQL): the server ends a session whose transaction waits
    longer than that for its next statement, such as one of a process that was paused.
    """
    kwargs.setdefault("hide_parameters", True)
    if idle_in_transaction_s is not None and not is_sqlite(url):
        connect_args = dict(kwargs.get("connect_args", {}))
        server_settings = dict(connect_args.get("server_settings", {}))
        timeout_ms = max(1, round(idle_in_transaction_s * 1000))
        server_settings["idle_in_transaction_session_timeout"] = str(timeout_ms)
        kwargs["connect_args"] = {**connect_args, "server_settings": server_settings}
    if is_sqlite(url):
        kwargs.setdefault("connect_args", {"timeout": 30})
        parsed = make_url(url)
        if parsed.drivername == "sqlite+aiosqlite":
            parsed = parsed.set(drivername=f"sqlite+{_AIOSQLITE}")
        engine = _create_async_engine(parsed, **kwargs)
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
        return engine
    if "pool_pre_ping" in kwargs:
        return _create_async_engine(url, **kwargs)
    engine = _create_async_engine(url, **kwargs)
    event.listen(engine.sync_engine.pool, "checkout", _ping_on_checkout)
    event.listen(engine.sync_engine.pool, "checkin", _note_checkin)
    return engine


# A connection back in the pool for less than this, and not closed by the server, is used
# without a ping (connection pools commonly skip the check for a connection in use moments ago).
PING_AFTER_IDLE_S = 1.0
_CHECKED_IN = "clearsite_checked_in"


def _note_checkin(_dbapi_connection: Any, record: Any) -> None:
    if record is not None:
        record.info[_CHECKED_IN] = time.monotonic()


def _ping_on_checkout(_dbapi_connection: Any, record: Any, proxy: Any) -> None:
    """What `pool_pre_ping` is for, in at most one round trip instead of three.

    SQLAlchemy's asyncpg ping wraps its `;` in BEGIN and ROLLBACK (for pgbouncer's
    transaction mode, which we do not use): three trips on every checkout. Here a connection
    the server has closed (a restart, a terminated backend: asyncpg sees the socket close) is
    replaced at once; one idle for PING_AFTER_IDLE_S or more is pinged with `;` first; one
    checked in moments ago goes straight back to work. A connection that fails is thrown away
    and another one checked out, as with pool_pre_ping.
    """
    import asyncpg  # type: ignore[import-untyped]
    from sqlalchemy.exc import DisconnectionError
    from sqlalchemy.util import await_

    driver = proxy.driver_connection
    if driver.is_closed():
        raise DisconnectionError("the server closed the connection")
    checked_in = record.info.get(_CHECKED_IN)
    if checked_in is not None and time.monotonic() - checked_in < PING_AFTER_IDLE_S:
        return
    try:
        await_(driver.fetchrow(";"))
    except (
        OSError,
        asyncpg.PostgresError,
        asyncpg.InterfaceError,
        asyncpg.InternalClientError,
    ) as exc:
        raise DisconnectionError(f"the connection did not answer: {type(exc).__name__}") from exc


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    if ":memory:" not in str(getattr(dbapi_connection, "database", "")):
        cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def make_session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    """Sessions that keep loaded values after commit (DTOs are built from them)."""
    return async_sessionmaker(engine, expire_on_commit=False)


def dialect_insert(session: AsyncSession, table: Any) -> Any:
    """INSERT for the session's engine, with its ON CONFLICT clauses."""
    return insert_for(session.get_bind().dialect.name, table)


def insert_for(dialect_name: str, table: Any) -> Any:
    """INSERT for the engine named `dialect_name`, with its ON CONFLICT clauses.

    Both SQLite and PostgreSQL spell them ON CONFLICT DO NOTHING / DO UPDATE, but through
    different SQLAlchemy dialect constructs: the one engine-specific insert.
    """
    if dialect_name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        return pg_insert(table)
    from sqlalchemy.dialects.sqlite import insert as sqlite_insert

    return sqlite_insert(table)


async def insert_ignoring_duplicates(
    session: AsyncSession, table: Any, rows: list[dict[str, Any]], *, unique: list[str]
) -> int:
    """Insert rows, silently skipping those whose `unique` columns already exist.

    Returns how many rows were inserted.
    """
    if not rows:
        return 0
    stmt = dialect_insert(session, table).on_conflict_do_nothing(index_elements=unique)
    # RETURNING counts only the rows really inserted (rowcount is unreliable for executemany).
    primary_key = list(table.__table__.primary_key.columns)
    result = await session.execute(stmt.returning(*primary_key), rows)
    return len(result.all())


def is_in(session: AsyncSession, column: Any, values: list[str]) -> Any:
    """`column IN values` with the list as one parameter (hundreds of values bind cheaply)."""
    from sqlalchemy import String, bindparam, func, literal_column, select

    if session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import ARRAY

        listed = func.unnest(bindparam("values", values, type_=ARRAY(String)))
        return column.in_(select(listed))
    listed = func.json_each(bindparam("values", json.dumps(values), type_=String))
    return column.in_(select(literal_column("value")).select_from(listed))


def skip_locked(session: AsyncSession, stmt: Any) -> Any:
    """`FOR UPDATE SKIP LOCKED` on PostgreSQL; SQLite serialises writers, so it needs none."""
    if session.get_bind().dialect.name == "postgresql":
        return stmt.with_for_update(skip_locked=True)
    return stmt


async def notify(session: AsyncSession, channel: str) -> None:
    """PostgreSQL NOTIFY, delivered when this transaction commits (nothing on SQLite)."""
    if session.get_bind().dialect.name == "postgresql":
        from sqlalchemy import text

        await session.execute(text("SELECT pg_notify(:channel, '')"), {"channel": channel})


@asynccontextmanager
async def listening(url: str, channel: str, on_notify: Callable[[], None]) -> AsyncIterator[bool]:
    """LISTEN on a dedicated asyncpg connection while the block runs; yields whether it does.

    SQLite has no notifications: the block runs without listening (callers poll).
    """
    if is_sqlite(url):
        yield False
        return
    import asyncpg  # type: ignore[import-untyped, unused-ignore]

    dsn = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    try:
        connection = await asyncpg.connect(dsn)
    except (OSError, asyncpg.PostgresError):
        # The database is not answering yet: callers fall back to polling.
        yield False
        return

    def _callback(*_args: Any) -> None:
        on_notify()

    try:
        await connection.add_listener(channel, _callback)
        yield True
    finally:
        connection.terminate()


async def insert_new_returning(
    session: AsyncSession,
    table: Any,
    rows: list[dict[str, Any]],
    *,
    unique: list[str],
    returning: list[Any],
) -> list[Any]:
    """Like insert_ignoring_duplicates, but returns the `returning` columns of the new rows."""
    if not rows:
        return []
    stmt = dialect_insert(session, table).on_conflict_do_nothing(index_elements=unique)
    result = await session.execute(stmt.returning(*returning), rows)
    return list(result.all())


async def try_scan_lock(session: AsyncSession, name: str) -> bool:
    """Whether this transaction may run the periodic scan `name` (one replica at a time).

    PostgreSQL: a transaction-scoped advisory lock, released at commit. SQLite has a single
    writer anyway, so the answer there is always yes.
    """
    if session.get_bind().dialect.name != "postgresql":
        return True
    import zlib

    from sqlalchemy import func, select

    key = zlib.crc32(name.encode())
    return bool(await session.scalar(select(func.pg_try_advisory_xact_lock(key))))


@asynccontextmanager
async def job_lock(factory: async_sessionmaker[AsyncSession], name: str) -> AsyncIterator[bool]:
    """Whether this process may run the periodic job `name` now; held while the block runs.

    PostgreSQL: a session-level advisory lock on a connection of its own, held across the
    job's own units of work and unlocked at the end (the server drops it if we die). SQLite
    has one writer and, in practice, one notifier: always yes.
    """
    engine = factory.kw.get("bind")
    if not isinstance(engine, AsyncEngine) or engine.dialect.name != "postgresql":
        yield True
        return
    import zlib

    from sqlalchemy import func, select

    key = zlib.crc32(f"job:{name}".encode())
    async with engine.connect() as conn:
        mine = bool(await conn.scalar(select(func.pg_try_advisory_lock(key))))
        await conn.commit()
        try:
            yield mine
        finally:
            if mine:
                await conn.scalar(select(func.pg_advisory_unlock(key)))
                await conn.commit()


SessionFactory = async_sessionmaker[AsyncSession]
