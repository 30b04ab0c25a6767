"""Every table, imported in one place so metadata (and Alembic) sees them all."""

from core.auth.models import ApiKey
from core.broadcasts.models import Broadcast
from core.chats.models import Chat, Subscription
from core.db import Base
from core.officials.models import Official
from core.outbox.models import Delivery
from core.projects.models import Party, Project, ProjectChangeCounter, ProjectLocation
from core.reports.models import (
    CitizenReport,
    OfficialAssignment,
    ReportBlock,
    ReportFollower,
    ReportNote,
    ReportPhoto,
    ReportPhotoContent,
)
from core.sources.models import FeedSource
from core.wages.models import (
    Employment,
    LinkAttempt,
    LinkCode,
    WageEntry,
    WageEvent,
    WageReport,
    WageSchedule,
    Worker,
)

__all__ = [
    "ApiKey",
    "Base",
    "Broadcast",
    "Chat",
    "CitizenReport",
    "Delivery",
    "Employment",
    "FeedSource",
    "LinkAttempt",
    "LinkCode",
    "Official",
    "OfficialAssignment",
    "Party",
    "Project",
    "ProjectChangeCounter",
    "ProjectLocation",
    "ReportBlock",
    "ReportFollower",
    "ReportNote",
    "ReportPhoto",
    "ReportPhotoContent",
    "Subscription",
    "WageEntry",
    "WageEvent",
    "WageReport",
    "WageSchedule",
    "Worker",
]
