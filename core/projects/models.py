"""Project tables: the record as received, the columns we query, its search points and parties."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    BigInteger,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column

from core.db import Base, ExactNumeric, UtcDateTime


class Project(Base):
    """One OC4IDS project: the record verbatim plus the fields we search and show."""

    __tablename__ = "project"

    id: Mapped[str] = mapped_column(String(255), primary_key=True)
    title: Mapped[str] = mapped_column(Text, default="")
    titles: Mapped[str] = mapped_column(Text, default="{}")
    description: Mapped[str] = mapped_column(Text, default="")
    descriptions: Mapped[str] = mapped_column(Text, default="{}")
    status: Mapped[str | None] = mapped_column(String(32), index=True)
    type: Mapped[str | None] = mapped_column(String(32))
    sectors: Mapped[str] = mapped_column(String(500), default="|")
    budget_amount: Mapped[Decimal | None] = mapped_column(ExactNumeric(24, 2))
    budget_currency: Mapped[str | None] = mapped_column(String(3))
    planned_start_date: Mapped[date | None] = mapped_column(Date)
    planned_end_date: Mapped[date | None] = mapped_column(Date)
    completed_date: Mapped[date | None] = mapped_column(Date)
    progress_pct: Mapped[float | None] = mapped_column(Float)
    progress_date: Mapped[date | None] = mapped_column(Date)
    public_authority_id: Mapped[str | None] = mapped_column(String(255))
    public_authority_name: Mapped[str | None] = mapped_column(Text)
    record_updated_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    search_text: Mapped[str] = mapped_column(Text, default="")
    record: Mapped[str] = mapped_column(Text)
    content_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    synced_at: Mapped[datetime] = mapped_column(UtcDateTime)
    # Bumped from project_change_counter on every create or update: the export's cursor.
    change_seq: Mapped[int] = mapped_column(BigInteger, unique=True)


class ProjectChangeCounter(Base):
    """The one row that hands out change numbers; its row lock orders syncs by commit."""

    __tablename__ = "project_change_counter"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    value: Mapped[int] = mapped_column(BigInteger)
    changed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class ProjectLocation(Base):
    """A point by which a project is found nearby (a Point, a line vertex, a polygon centroid)."""

    __tablename__ = "project_location"
    # The nearby prefilter: a lat/lon box. project_id rides along so that the prefilter reads
    # the index alone (a covering index), never the table rows.
    __table_args__ = (Index("ix_project_location_lat_lon", "lat", "lon", "project_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    project_id: Mapped[str] = mapped_column(
        ForeignKey("project.id", ondelete="CASCADE"), index=True
    )
    location_id: Mapped[str] = mapped_column(String(255))
    geometry_type: Mapped[str] = mapped_column(String(16))
    lat: Mapped[float] = mapped_column(Float)
    lon: Mapped[float] = mapped_column(Float)


class Party(Base):
    """An organisation named in a project record, with its roles and contact point."""

    __tablename__ = "party"

    project_id: Mapped[str] = mapped_column(
        ForeignKey("project.id", ondelete="CASCADE"), primary_key=True
    )
    party_id: Mapped[str] = mapped_column(String(255), primary_key=True)
    name: Mapped[str] = mapped_column(Text, default="")
    roles: Mapped[str] = mapped_column(String(500), default="|")
    contact_name: Mapped[str | None] = mapped_column(Text)
    contact_email: Mapped[str | None] = mapped_column(Text)
    contact_telephone: Mapped[str | None] = mapped_column(Text)
    contact_url: Mapped[str | None] = mapped_column(Text)


class SearchTerm(Base):
    """A word stem (or Hangul syllable pair) of a project's texts, with the best field it is in.

    Fields: 1 title, 2 description, 3 address, 4 party name (see core.projects.search).
    """

    __tablename__ = "search_term"
    __table_args__ = (
        Index("ix_search_term_project_id", "project_id"),
        # A term's postings best field first: a page reads only the first few.
        Index("ix_search_term_rank", "term", "field", "project_id"),
    )

    # Binary order on both engines, so a prefix is a range of the primary key.
    term: Mapped[str] = mapped_column(
        String(64).with_variant(String(64, collation="C"), "postgresql"), primary_key=True
    )
    project_id: Mapped[str] = mapped_column(
        ForeignKey("project.id", ondelete="CASCADE"), primary_key=True
    )
    field: Mapped[int] = mapped_column(SmallInteger)


class SearchWord(Base):
    """Every term ever indexed, once: prefixes and typos are resolved here, then looked up."""

    __tablename__ = "search_word"

    term: Mapped[str] = mapped_column(
        String(64).with_variant(String(64, collation="C"), "postgresql"), primary_key=True
    )


class PhotoFile(Base):
    """Telegram's file_id for a photo URL, kept after its first upload (sent on without one)."""

    __tablename__ = "photo_file"

    url_hash: Mapped[str] = mapped_column(String(64), primary_key=True)  # sha256 of the URL
    url: Mapped[str] = mapped_column(Text)
    file_id: Mapped[str] = mapped_column(String(255))
    cached_at: Mapped[datetime] = mapped_column(UtcDateTime)
