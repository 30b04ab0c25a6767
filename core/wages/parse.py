"""Reading a wage package (JSON or CSV) into validated DTOs; errors name the record and field."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping
from typing import Any, Literal, TypeVar

from babel.numbers import list_currencies
from pydantic import BaseModel, ValidationError

from core.errors import InvalidInput
from core.wages.schemas import EntryIn, ScheduleIn, WagePackage, WorkerIn

Kind = Literal["workers", "schedules", "entries"]
KINDS: tuple[Kind, ...] = ("workers", "schedules", "entries")
_M = TypeVar("_M", bound=BaseModel)
_EMPLOYMENT_COLUMNS = ("project_id", "employer_id", "employer_name", "role", "start_date")
_CURRENCIES = frozenset(list_currencies())


def invalid(kind: str, index: int, record_id: object, field: str, message: str) -> InvalidInput:
    """An error naming the record (list, position, id) and the field."""
    where = f"{kind}[{index}]" + (f" (id {record_id!r})" if record_id not in (None, "") else "")
    return InvalidInput(
        f"{where}: field {field}: {message}",
        location=f"{kind}[{index}].{field}",
        code="invalid_wages",
    )


def parse_package(data: Any) -> WagePackage:
    """Validate a JSON wage package record by record; the first problem is a clear error."""
    if not isinstance(data, Mapping):
        raise InvalidInput(
            "a wage package is a JSON object", location="body", code="invalid_wages"
        )
    unknown = sorted(set(data) - set(KINDS))
    if unknown:
        raise InvalidInput(
            f"unknown list {unknown[0]!r}: expected workers, schedules, entries",
            location=unknown[0],
            code="invalid_wages",
        )
    lists: dict[str, tuple[Any, ...]] = {}
    for kind, model in (("workers", WorkerIn), ("schedules", ScheduleIn), ("entries", EntryIn)):
        raw = data.get(kind) or []
        if not isinstance(raw, list):
            raise InvalidInput(f"{kind} must be a list", location=kind, code="invalid_wages")
        lists[kind] = tuple(_record(kind, i, item, model) for i, item in enumerate(raw))
    package = WagePackage(**lists)
    check_records(package)
    return package


def _record(kind: str, index: int, item: Any, model: type[_M]) -> _M:
    if not isinstance(item, Mapping):
        raise invalid(kind, index, None, "(record)", "each record is a JSON object")
    try:
        return model.model_validate(item)
    except ValidationError as exc:
        error = exc.errors()[0]
        field = "/".join(str(p) for p in error["loc"]) or "(record)"
        raise invalid(kind, index, item.get("id"), field, error["msg"]) from exc


def check_records(package: WagePackage) -> None:
    """Rules within each record and list: dates in order, known currencies, unique ids, amounts."""
    for kind, records in (("workers", package.workers), ("schedules", package.schedules)):
        _unique_ids(kind, [r.id for r in records])
    _unique_ids("entries", [e.id for e in package.entries])
    for i, s in enumerate(package.schedules):
        if s.currency not in _CURRENCIES:
            raise invalid("schedules", i, s.id, "currency", f"unknown currency {s.currency!r}")
        if s.period_end < s.period_start:
            raise invalid("schedules", i, s.id, "period_end", "is before period_start")
        if s.due_date < s.period_start:
            raise invalid("schedules", i, s.id, "due_date", "is before period_start")
    for i, e in enumerate(package.entries):
        if e.currency not in _CURRENCIES:
            raise invalid("entries", i, e.id, "currency", f"unknown currency {e.currency!r}")
        if e.amount_paid > e.amount_due and not e.overpaid:
            raise invalid(
                "entries", i, e.id, "amount_paid", 'exceeds amount_due; send "overpaid": true'
            )
        if e.status == "credited" and e.amount_paid < e.amount_due:
            raise invalid("entries", i, e.id, "status", "credited needs amount_paid >= amount_due")
        if e.status == "partial" and not 0 < e.amount_paid < e.amount_due:
            raise invalid("entries", i, e.id, "status", "partial needs 0 < amount_paid < due")
        if e.status in ("scheduled", "funds_released") and e.amount_paid > 0:
            raise invalid("entries", i, e.id, "status", f"{e.status} needs amount_paid 0")


def _unique_ids(kind: str, ids: list[str]) -> None:
    seen: set[str] = set()
    for i, record_id in enumerate(ids):
        if record_id in seen:
            raise invalid(kind, i, record_id, "id", "appears twice in this package")
        seen.add(record_id)


def parse_csv(kind: str, text: str) -> WagePackage:
    """One CSV file of one list; workers.csv has one row per employment."""
    if kind not in KINDS:
        raise InvalidInput("kind must be workers, schedules or entries", location="kind")
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    try:
        rows = [
            {k.strip(): v.strip() for k, v in row.items() if k and v is not None and v.strip()}
            for row in reader
        ]
    except csv.Error as exc:
        # Among others: a cell over csv.field_size_limit() (128 KiB).
        raise InvalidInput(
            f"{kind} CSV, line {reader.line_num}: {exc}", location="file", code="invalid_wages"
        ) from exc
    if kind == "workers":
        return parse_package({"workers": _workers_from_rows(rows)})
    return parse_package({kind: rows})


def _workers_from_rows(rows: Iterable[dict[str, str]]) -> list[dict[str, Any]]:
    workers: dict[str, dict[str, Any]] = {}
    for index, row in enumerate(rows):
        employment = {k: row.pop(k) for k in _EMPLOYMENT_COLUMNS if k in row}
        worker = workers.setdefault(row.get("id", f"#{index}"), {**row, "employments": []})
        if {k: v for k, v in worker.items() if k != "employments"} != row:
            raise invalid("workers", index, row.get("id"), "(row)", "differs from an earlier row")
        if employment:
            worker["employments"].append(employment)
    return list(workers.values())
