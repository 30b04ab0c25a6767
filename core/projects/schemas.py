"""Project DTOs handed to the edges (never ORM objects)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, field_validator

from core.inputs import BudgetMoney, Code, LongId, Text

# The OC4IDS projectStatus codelist (closed).
ProjectStatus = Literal[
    "identification",
    "preparation",
    "implementation",
    "completion",
    "maintenance",
    "decommissioning",
    "decommissioned",
    "cancelled",
]
PROJECT_STATUSES: tuple[str, ...] = get_args(ProjectStatus)

MAX_JOINED = 500  # sectors and party roles are stored joined as |a|b| in a VARCHAR(500)


class _Dto(BaseModel):
    model_config = ConfigDict(frozen=True)


def _joined_fits(values: tuple[str, ...]) -> tuple[str, ...]:
    if sum(len(v) + 1 for v in values) + 1 > MAX_JOINED:
        raise ValueError(f"too long: at most {MAX_JOINED} characters in all")
    return values


class SearchPoint(_Dto):
    """A point a project can be found by."""

    location_id: LongId
    geometry_type: Annotated[str, Field(max_length=16)]
    lat: float
    lon: float


class PartyIn(_Dto):
    """A party as read from a record."""

    party_id: LongId
    name: Text
    roles: tuple[Text, ...]
    contact_name: Text | None = None
    contact_email: Text | None = None
    contact_telephone: Text | None = None
    contact_url: Text | None = None

    _roles = field_validator("roles")(_joined_fits)


class ProjectRecordIn(_Dto):
    """The queryable fields of one validated OC4IDS record, with the record itself."""

    id: LongId
    title: Text
    titles: dict[str, Text]
    description: Text
    descriptions: dict[str, Text]
    status: Code | None
    type: Code | None
    sectors: tuple[Text, ...]
    budget_amount: BudgetMoney | None
    budget_currency: Annotated[str, Field(max_length=3)] | None
    planned_start_date: date | None
    planned_end_date: date | None
    completed_date: date | None
    progress_pct: float | None
    progress_date: date | None
    public_authority_id: LongId | None
    public_authority_name: Text | None
    record_updated_at: datetime | None
    points: tuple[SearchPoint, ...]
    parties: tuple[PartyIn, ...]
    search_text: Text
    search_terms: tuple[tuple[str, int], ...] = ()
    record_json: str
    content_hash: str

    _sectors = field_validator("sectors")(_joined_fits)


class ProjectChange(_Dto):
    """What a sync changed in a project that subscribers care about."""

    project_id: str
    is_new: bool
    old_status: str | None = None
    new_status: str | None = None
    old_progress_pct: float | None = None
    new_progress_pct: float | None = None
    old_planned_end_date: date | None = None
    new_planned_end_date: date | None = None
    completion_added: bool = False


class SyncResult(_Dto):
    """Counts of one OC4IDS sync, and the changes for notifications."""

    created: int
    updated: int
    unchanged: int
    changes: tuple[ProjectChange, ...] = ()


class ProjectSummary(_Dto):
    """A project in a list: enough for a line in the bot or an API item."""

    id: str
    title: str
    status: str | None
    progress_pct: float | None
    planned_end_date: date | None
    delay_days: int | None
    distance_m: float | None = None
    lat: float | None = None
    lon: float | None = None


class ProjectPage(_Dto):
    """One page of results and the cursor for the next."""

    items: tuple[ProjectSummary, ...]
    next_cursor: str | None = None
    total: int | None = None  # how many match in all (text searches)
    total_is_lower_bound: bool = False  # at least `total`: counting stopped there


class PartyRead(_Dto):
    """A party on a project card."""

    id: str
    name: str
    roles: tuple[str, ...]
    contact_name: str | None = None
    contact_email: str | None = None
    contact_telephone: str | None = None
    contact_url: str | None = None


class LocationRead(_Dto):
    """A location on a project card."""

    id: str
    description: str | None
    address: str | None
    geometry_type: str | None
    lat: float | None
    lon: float | None


class Money(_Dto):
    """An amount with its ISO 4217 currency."""

    amount: Decimal
    currency: str


class CardReports(_Dto):
    """Citizen questions and reports on the project (public ones only) and how they were
    answered; the reports domain computes it."""

    open: int
    answered: int
    median_hours_to_first_answer: float | None
    resolved_within_target_share: float | None
    reopened_share: float | None
    average_rating: float | None
    ratings: int


class MoneyChain(_Dto):
    """Money down the chain, from the record's contracting processes (only what it gives)."""

    contract_value: Money | None = None
    paid: Money | None = None
    last_paid_date: date | None = None
    payments: int = 0
    final_value: Money | None = None


class PhotoRead(_Dto):
    """A site photo among the record's documents; `file_id` once Telegram has it."""

    url: str
    title: str | None = None
    file_id: str | None = None


class ProjectCard(_Dto):
    """Everything a citizen sees about one project."""

    id: str
    title: str
    description: str
    status: str | None
    type: str | None
    sectors: tuple[str, ...]
    budget: Money | None
    planned_start_date: date | None
    planned_end_date: date | None
    completed_date: date | None
    progress_pct: float | None
    progress_date: date | None
    delay_days: int | None
    public_authority: PartyRead | None
    suppliers: tuple[PartyRead, ...]
    locations: tuple[LocationRead, ...]
    updated_at: datetime | None
    synced_at: datetime
    wages_paid_on_time_share: float | None = None
    reports: CardReports | None = None
    extra: dict[str, Any] = Field(default_factory=dict)
    # From the record as received (core.projects.record_reads).
    money: MoneyChain | None = None
    photos: tuple[PhotoRead, ...] = ()
    source_url: str | None = None
    record_path: str = ""  # the record as received, under the API
