"""wage schema

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-29 08:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
Money = sa.Numeric(precision=18, scale=2)
Stamp = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "worker",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("full_name", sa.Text(), nullable=False),
        sa.Column("phone_hash", sa.String(length=64), nullable=True),
        sa.Column("language", sa.String(length=8), nullable=True),
        sa.Column("chat_id", sa.BigInteger(), nullable=True),
        sa.Column("linked_at", Stamp, nullable=True),
        sa.Column("created_at", Stamp, nullable=False),
        sa.Column("updated_at", Stamp, nullable=False),
        sa.ForeignKeyConstraint(
            ["chat_id"], ["chat.id"], name=op.f("fk_worker_chat_id_chat"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_worker")),
        sa.UniqueConstraint("chat_id", name=op.f("uq_worker_chat_id")),
    )
    op.create_table(
        "wage_schedule",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("project_id", sa.String(length=255), nullable=False),
        sa.Column("employer_id", sa.String(length=255), nullable=False),
        sa.Column("employer_name", sa.Text(), nullable=True),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("funds_released_at", Stamp, nullable=True),
        sa.Column("updated_at", Stamp, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_wage_schedule")),
    )
    op.create_index(
        op.f("ix_wage_schedule_project_id"), "wage_schedule", ["project_id"], unique=False
    )
    op.create_table(
        "employment",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("worker_id", sa.String(length=64), nullable=False),
        sa.Column("project_id", sa.String(length=255), nullable=False),
        sa.Column("employer_id", sa.String(length=255), nullable=False),
        sa.Column("employer_name", sa.Text(), nullable=True),
        sa.Column("role", sa.Text(), nullable=True),
        sa.Column("start_date", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["worker_id"],
            ["worker.id"],
            name=op.f("fk_employment_worker_id_worker"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_employment")),
        sa.UniqueConstraint("worker_id", "project_id", "employer_id", name="uq_employment_key"),
    )
    op.create_index(op.f("ix_employment_project_id"), "employment", ["project_id"], unique=False)
    _entries()
    _links_and_reports()


def _entries() -> None:
    op.create_table(
        "wage_entry",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("schedule_id", sa.String(length=64), nullable=False),
        sa.Column("worker_id", sa.String(length=64), nullable=False),
        sa.Column("project_id", sa.String(length=255), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("amount_due", Money, nullable=False),
        sa.Column("amount_paid", Money, nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("is_overpaid", sa.Boolean(), nullable=False),
        sa.Column("is_paid_on_time", sa.Boolean(), nullable=False),
        sa.Column("paid_at", Stamp, nullable=True),
        sa.Column("reference", sa.Text(), nullable=True),
        sa.Column("updated_at", Stamp, nullable=False),
        sa.ForeignKeyConstraint(
            ["schedule_id"],
            ["wage_schedule.id"],
            name=op.f("fk_wage_entry_schedule_id_wage_schedule"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["worker_id"],
            ["worker.id"],
            name=op.f("fk_wage_entry_worker_id_worker"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_wage_entry")),
    )
    op.create_index("ix_wage_entry_open", "wage_entry", ["status", "due_date"], unique=False)
    op.create_index(
        "ix_wage_entry_worker", "wage_entry", ["worker_id", "period_end"], unique=False
    )
    op.create_index(op.f("ix_wage_entry_schedule_id"), "wage_entry", ["schedule_id"])
    op.create_index(op.f("ix_wage_entry_project_id"), "wage_entry", ["project_id"])
    op.create_table(
        "wage_event",
        sa.Column("id", BigId, autoincrement=True, nullable=False),
        sa.Column("entry_id", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=24), nullable=False),
        sa.Column("step", sa.BigInteger(), nullable=False),
        sa.Column("occurred_at", Stamp, nullable=False),
        sa.ForeignKeyConstraint(
            ["entry_id"],
            ["wage_entry.id"],
            name=op.f("fk_wage_event_entry_id_wage_entry"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_wage_event")),
        sa.UniqueConstraint("entry_id", "kind", "step", name="uq_wage_event_key"),
    )


def _links_and_reports() -> None:
    op.create_table(
        "link_code",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("code_hash", sa.String(length=64), nullable=False),
        sa.Column("worker_id", sa.String(length=64), nullable=False),
        sa.Column("created_at", Stamp, nullable=False),
        sa.Column("expires_at", Stamp, nullable=False),
        sa.Column("used_at", Stamp, nullable=True),
        sa.ForeignKeyConstraint(
            ["worker_id"],
            ["worker.id"],
            name=op.f("fk_link_code_worker_id_worker"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_link_code")),
        sa.UniqueConstraint("code_hash", name=op.f("uq_link_code_code_hash")),
    )
    op.create_index(op.f("ix_link_code_worker_id"), "link_code", ["worker_id"])
    op.create_table(
        "link_attempt",
        sa.Column("id", BigId, autoincrement=True, nullable=False),
        sa.Column("chat_id", sa.BigInteger(), nullable=False),
        sa.Column("attempted_at", Stamp, nullable=False),
        sa.Column("is_success", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_link_attempt")),
    )
    op.create_index("ix_link_attempt_chat_at", "link_attempt", ["chat_id", "attempted_at"])
    op.create_table(
        "wage_report",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("reference", sa.String(length=16), nullable=False),
        sa.Column("worker_id", sa.String(length=64), nullable=False),
        sa.Column("entry_id", sa.String(length=64), nullable=False),
        sa.Column("project_id", sa.String(length=255), nullable=False),
        sa.Column("employer_id", sa.String(length=255), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("created_at", Stamp, nullable=False),
        sa.ForeignKeyConstraint(
            ["entry_id"],
            ["wage_entry.id"],
            name=op.f("fk_wage_report_entry_id_wage_entry"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["worker_id"],
            ["worker.id"],
            name=op.f("fk_wage_report_worker_id_worker"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_wage_report")),
        sa.UniqueConstraint("entry_id", name="uq_wage_report_entry_id"),
        sa.UniqueConstraint("reference", name=op.f("uq_wage_report_reference")),
    )
    op.create_index(op.f("ix_wage_report_worker_id"), "wage_report", ["worker_id"])


def downgrade() -> None:
    op.drop_table("wage_report")
    op.drop_table("link_attempt")
    op.drop_table("link_code")
    op.drop_table("wage_event")
    op.drop_table("wage_entry")
    op.drop_table("employment")
    op.drop_table("wage_schedule")
    op.drop_table("worker")
