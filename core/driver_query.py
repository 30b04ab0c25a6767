"""Hot read paths: a Core SELECT compiled once per dialect and run with the driver itself.

Through SQLAlchemy's async adapters a SELECT costs several trips: aiosqlite hops to its
worker thread four times (cursor, execute, fetch, close) and the asyncpg adapter opens a
transaction first. Here the statement is compiled once per dialect (and per shape), then run
on the session's own connection in one call of the driver (`fetch` of asyncpg, which keeps the
statement prepared; on SQLite, sqlite3 itself on the loop's thread, `core.db.sqlite_on_loop`,
else aiosqlite's `execute_fetchall`), and the values are converted by the
columns' own result processors: the rows equal what `session.execute` returns, as named
tuples (by column key).

`rows` reads only. On PostgreSQL the statement joins the transaction when the unit of work
has opened one (a write before it), and otherwise runs on its own, as one statement in READ
COMMITTED does anyway. `write_alone` runs one write (an INSERT … RETURNING) on SQLite's
connection on the loop's thread, committed at once in a transaction of its own, when that
needs no wait (`core.db.sqlite_write_alone`).
"""

from __future__ import annotations

from collections import namedtuple
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Insert, Select
from sqlalchemy.engine import Dialect
from sqlalchemy.ext.asyncio import AsyncSession

from core.db import sqlite_on_loop, sqlite_write_alone

Row = Any  # a named tuple: fields by index or by column key
Statement = Select[*tuple[Any, ...]] | Insert  # a SELECT, or a write with RETURNING


@dataclass(frozen=True)
class _Compiled:
    sql: str
    names: tuple[str, ...]  # the bind parameters in the order the SQL takes them
    fixed: dict[str, Any]  # the values the statement itself holds (literals in its clauses)
    binds: tuple[Callable[[Any], Any] | None, ...]
    results: tuple[Callable[[Any], Any] | None, ...]
    row: Callable[..., tuple[Any, ...]]  # a named tuple of the selected columns' keys


class DriverQuery:
    """A family of statements, one per shape (a hashable key), built by `build(key)`.

    Every value comes in through a named `bindparam`; `rows(session, key, **values)` runs the
    shape `key` with those values; a row's values are also its attributes (`row.id`).
    """

    def __init__(self, build: Callable[[Any], Statement]):
        self._build = build
        self._compiled: dict[tuple[str, Hashable], _Compiled] = {}

    async def rows(self, session: AsyncSession, key: Hashable, **values: Any) -> list[Row]:
        """The rows of shape `key` with these parameter values, converted as SQLAlchemy does."""
        dialect, driver, compiled, params = await self._prepare(session, key, values)
        if dialect.name == "postgresql":
            fetched: Sequence[Sequence[Any]] = await driver.fetch(compiled.sql, *params)
        elif (on_loop := sqlite_on_loop(driver)) is not None:
            fetched = on_loop.execute(compiled.sql, params).fetchall()
        else:
            fetched = await driver.execute_fetchall(compiled.sql, params)
        return _converted(compiled, fetched)

    async def write_alone(
        self, session: AsyncSession, key: Hashable, **values: Any
    ) -> list[Row] | None:
        """On SQLite, the write of shape `key` run on the loop's thread and committed at once,
        in a transaction of its own; its RETURNING rows. None, having done nothing, where that
        cannot be: PostgreSQL, a connection only aiosqlite's thread may use, a transaction
        already open on it (this unit of work wrote before), or SQLite's write lock held by
        another connection (the caller then writes the usual way, which waits its turn)."""
        if session.get_bind().dialect.name != "sqlite":
            return None
        _, driver, compiled, params = await self._prepare(session, key, values)
        on_loop = sqlite_on_loop(driver)
        if on_loop is None:
            return None
        fetched = sqlite_write_alone(on_loop, compiled.sql, params)
        return None if fetched is None else _converted(compiled, fetched)

    async def _prepare(
        self, session: AsyncSession, key: Hashable, values: dict[str, Any]
    ) -> tuple[Dialect, Any, _Compiled, list[Any]]:
        connection = await session.connection()
        dialect = connection.dialect
        driver: Any = (await connection.get_raw_connection()).driver_connection
        compiled = self._compiled.get((dialect.name, key))
        if compiled is None:
            compiled = await _compile(self._build(key), dialect, driver)
            self._compiled[(dialect.name, key)] = compiled
        params = [
            value if bind is None else bind(value)
            for value, bind in zip(
                (
                    values[name] if name in values else compiled.fixed[name]
                    for name in compiled.names
                ),
                compiled.binds,
                strict=True,
            )
        ]
        return dialect, driver, compiled, params


def _converted(compiled: _Compiled, fetched: Sequence[Sequence[Any]]) -> list[Row]:
    results, make = compiled.results, compiled.row
    if not any(results):
        return [make(*row) for row in fetched]
    return [
        make(
            *(
                value if convert is None else convert(value)
                for value, convert in zip(row, results, strict=True)
            )
        )
        for row in fetched
    ]


async def _compile(statement: Statement, dialect: Dialect, driver: Any) -> _Compiled:
    compiled = statement.compile(dialect=dialect)
    # The column types the driver reports, as SQLAlchemy's cursor would see them: asyncpg
    # names each column's type (its processors depend on it), sqlite3 none.
    coltypes: list[Any] = [None] * len(statement.exported_columns)
    if dialect.name == "postgresql":
        prepared = await driver.prepare(compiled.string)
        coltypes = [attribute.type.oid for attribute in prepared.get_attributes()]
    names = tuple(compiled.positiontup or ())
    binds = tuple(
        compiled.binds[name].type.dialect_impl(dialect).bind_processor(dialect) for name in names
    )
    results = tuple(
        column.type.dialect_impl(dialect).result_processor(dialect, coltype)
        for column, coltype in zip(statement.exported_columns, coltypes, strict=True)
    )
    row = namedtuple("Row", [column.key for column in statement.exported_columns])  # type: ignore[misc]
    fixed = {name: compiled.binds[name].effective_value for name in names}
    # An INSERT's columns left out of its VALUES get their Python-side defaults, which
    # SQLAlchemy's execution would fill in: constants only here.
    for column in getattr(compiled, "insert_prefetch", ()):
        default = column.default
        if default is None or not default.is_scalar:
            raise NotImplementedError(f"column {column.key}: only constant defaults")
        fixed[column.key] = default.arg
    return _Compiled(compiled.string, names, fixed, binds, results, row)
