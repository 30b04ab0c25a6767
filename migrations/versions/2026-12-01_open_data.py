"""open data: a change number per project (the export's cursor) and pulled feed sources

Revision ID: 20261201_open_data
Revises: 20261201_reports
Create Date: 2026-12-01 18:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
Stamp = sa.DateTime(timezone=True)

revision: str = "20261201_open_data"
down_revision: str | None = "20261201_reports"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("project", sa.Column("change_seq", sa.BigInteger(), nullable=True))
    bind = op.get_bind()
    ids = [row[0] for row in bind.execute(sa.text("SELECT id FROM project ORDER BY synced_at, id"))]
    for seq, project_id in enumerate(ids, start=1):
        bind.execute(
            sa.text("UPDATE project SET change_seq = :seq WHERE id = :id"),
            {"seq": seq, "id": project_id},
        )
    with op.batch_alter_table("project") as batch:
        batch.alter_column("change_seq", existing_type=sa.BigInteger(), nullable=False)
        batch.create_unique_constraint("uq_project_change_seq", ["change_seq"])
    counter = op.create_table(
        "project_change_counter",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("value", sa.BigInteger(), nullable=False),
        sa.Column("changed_at", Stamp, nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_project_change_counter")),
    )
    op.bulk_insert(counter, [{"id": 1, "value": len(ids), "changed_at": None}])
    bind.execute(
        sa.text(
            "UPDATE project_change_counter SET changed_at = "
            "(SELECT MAX(synced_at) FROM project) WHERE id = 1"
        )
    )
    op.create_table(
        "feed_source",
        sa.Column("id", BigId, autoincrement=True, nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("url", sa.String(length=2000), nullable=False),
        sa.Column("every_s", sa.Integer(), nullable=False),
        sa.Column("silence_s", sa.Integer(), nullable=False),
        sa.Column("created_at", Stamp, nullable=False),
        sa.Column("next_pull_at", Stamp, nullable=False),
        sa.Column("resume_url", sa.String(length=2000), nullable=True),
        sa.Column("etag", sa.String(length=500), nullable=True),
        sa.Column("last_modified", sa.String(length=100), nullable=True),
        sa.Column("last_attempt_at", Stamp, nullable=True),
        sa.Column("last_success_at", Stamp, nullable=True),
        sa.Column("last_change_at", Stamp, nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("last_error_at", Stamp, nullable=True),
        sa.Column("consecutive_failures", sa.Integer(), nullable=False),
        sa.Column("last_created", sa.Integer(), nullable=False),
        sa.Column("last_updated", sa.Integer(), nullable=False),
        sa.Column("last_unchanged", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_feed_source")),
    )
    op.create_index(
        op.f("ix_feed_source_next_pull_at"), "feed_source", ["next_pull_at"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_feed_source_next_pull_at"), table_name="feed_source")
    op.drop_table("feed_source")
    op.drop_table("project_change_counter")
    with op.batch_alter_table("project") as batch:
        batch.drop_constraint("uq_project_change_seq", type_="unique")
        batch.drop_column("change_seq")
