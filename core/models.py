"""Every table, imported in one place so metadata (and Alembic) sees them all."""

from core.auth.models import ApiKey
from core.chats.models import Chat, Official, Subscription
from core.db import Base
from core.outbox.models import Broadcast, Delivery
from core.projects.models import Party, Project, ProjectLocation

__all__ = [
    "ApiKey",
    "Base",
    "Broadcast",
    "Chat",
    "Delivery",
    "Official",
    "Party",
    "Project",
    "ProjectLocation",
    "Subscription",
]
