"""Report tables: the report, its photos (bytes in the database), its thread, followers, blocks,
and which officials answer for which projects and sectors."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.db import Base, UtcDateTime


class CitizenReport(Base):
    """A question or problem report (an Open311 service request)."""

    __tablename__ = "citizen_report"
    __table_args__ = (
        # Open311's nearby list: a lat/lon box over public reports only.
        Index("ix_citizen_report_public_lat_lon", "is_public", "lat", "lon", "id"),
        Index("ix_citizen_report_chat_created", "chat_id", "created_at"),
        Index("ix_citizen_report_status_due", "status", "due_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    reference: Mapped[str] = mapped_column(String(16), unique=True)
    chat_id: Mapped[int | None] = mapped_column(
        ForeignKey("chat.id", ondelete="SET NULL"), nullable=True
    )
    source: Mapped[str] = mapped_column(String(16), default="bot")
    app_key_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    category_code: Mapped[str] = mapped_column(String(32), index=True)
    text: Mapped[str] = mapped_column(Text)
    project_id: Mapped[str | None] = mapped_column(
        ForeignKey("project.id", ondelete="SET NULL"), nullable=True, index=True
    )
    lat: Mapped[float | None] = mapped_column(Float, nullable=True)
    lon: Mapped[float | None] = mapped_column(Float, nullable=True)
    address: Mapped[str | None] = mapped_column(Text, nullable=True)
    locale: Mapped[str] = mapped_column(String(8), default="en")
    status: Mapped[str] = mapped_column(String(16), default="new")
    close_reason: Mapped[str | None] = mapped_column(String(16), nullable=True)
    duplicate_of_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    is_public: Mapped[bool] = mapped_column(Boolean, default=False)
    target_hours: Mapped[int] = mapped_column(Integer, default=48)
    due_at: Mapped[datetime] = mapped_column(UtcDateTime)
    expected_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)
    acknowledged_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    first_answer_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    resolved_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    closed_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    reopened_count: Mapped[int] = mapped_column(Integer, default=0)
    feedback: Mapped[str | None] = mapped_column(String(8), nullable=True)
    rating: Mapped[int | None] = mapped_column(Integer, nullable=True)
    feedback_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    overdue_notified_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)


class ReportPhoto(Base):
    """A photo of a report: its size and dimensions, and Telegram's file_id if any. The bytes
    (re-encoded JPEG without metadata) are in `ReportPhotoContent`, written once.

    A photo sent in the bot is cleaned and stored when it arrives, as a draft of its chat
    (`report_id` NULL, `draft_chat_id` set); filing attaches it to the report, an update of
    this small row only. Drafts never filed are deleted after a day (their bytes with them)."""

    __tablename__ = "report_photo"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    report_id: Mapped[int | None] = mapped_column(
        ForeignKey("citizen_report.id", ondelete="CASCADE"), index=True, nullable=True
    )
    draft_chat_id: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    media_key: Mapped[str] = mapped_column(String(32), unique=True)
    content_type: Mapped[str] = mapped_column(String(32), default="image/jpeg")
    width: Mapped[int | None] = mapped_column(Integer, nullable=True)
    height: Mapped[int | None] = mapped_column(Integer, nullable=True)
    size: Mapped[int] = mapped_column(Integer, default=0)
    telegram_file_id: Mapped[str | None] = mapped_column(String(255), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)


class ReportPhotoContent(Base):
    """A photo's bytes: re-encoded JPEG without metadata. Apart from `ReportPhoto` so that
    updating the photo's row (attaching a draft, keeping a file_id) never rewrites the blob:
    SQLite writes a whole record again on any update of it. No row when only Telegram's
    file_id is known (`ReportPhoto.size` 0)."""

    __tablename__ = "report_photo_content"

    photo_id: Mapped[int] = mapped_column(
        ForeignKey("report_photo.id", ondelete="CASCADE"), primary_key=True, autoincrement=False
    )
    content: Mapped[bytes] = mapped_column(LargeBinary)
    # Only so a new photo and its bytes can be added together and written in order at the
    # caller's commit (the photo's id is not known before); never loaded.
    photo: Mapped[ReportPhoto] = relationship(lazy="raise")


class ReportNote(Base):
    """One entry of a report's thread: an official's answer, a citizen's reply, a status change."""

    __tablename__ = "report_note"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    report_id: Mapped[int] = mapped_column(
        ForeignKey("citizen_report.id", ondelete="CASCADE"), index=True
    )
    author: Mapped[str] = mapped_column(String(16))
    official_id: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    kind: Mapped[str] = mapped_column(String(16), default="note")
    status: Mapped[str | None] = mapped_column(String(16), nullable=True)
    text: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)


class ReportFollower(Base):
    """A chat that follows a report it did not file ("Follow instead")."""

    __tablename__ = "report_follower"

    report_id: Mapped[int] = mapped_column(
        ForeignKey("citizen_report.id", ondelete="CASCADE"), primary_key=True
    )
    chat_id: Mapped[int] = mapped_column(
        ForeignKey("chat.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)


class ReportBlock(Base):
    """A chat an official barred from filing reports, and why (the chat is told)."""

    __tablename__ = "report_block"

    chat_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    reason: Mapped[str] = mapped_column(Text)
    official_id: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)


class OfficialAssignment(Base):
    """An official answers for a project, or for every project of a sector."""

    __tablename__ = "official_assignment"
    __table_args__ = (
        UniqueConstraint("official_id", "scope", "target", name="uq_official_assignment"),
        Index("ix_official_assignment_target", "scope", "target"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    official_id: Mapped[int] = mapped_column(
        ForeignKey("official.telegram_id", ondelete="CASCADE"), index=True
    )
    scope: Mapped[str] = mapped_column(String(8))
    target: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
