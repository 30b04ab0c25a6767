"""photo content: a report photo's bytes in their own table, so attaching a draft (an update of
its row) never rewrites them

Revision ID: 20261202_photo_content
Revises: 20261202_draft_photos
Create Date: 2026-12-02 06:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "20261202_photo_content"
down_revision: str | None = "20261202_draft_photos"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # The foreign key comes last: on SQLite (foreign keys on) the batch rebuild of
    # report_photo drops the old table, which would cascade to rows already referencing it.
    op.create_table(
        "report_photo_content",
        sa.Column("photo_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("photo_id", name=op.f("pk_report_photo_content")),
    )
    op.execute(
        sa.text(
            "INSERT INTO report_photo_content (photo_id, content) "
            "SELECT id, content FROM report_photo WHERE content IS NOT NULL"
        )
    )
    with op.batch_alter_table("report_photo") as batch:
        batch.drop_column("content")
    with op.batch_alter_table("report_photo_content") as batch:
        batch.create_foreign_key(
            batch.f("fk_report_photo_content_photo_id_report_photo"),
            "report_photo",
            ["photo_id"],
            ["id"],
            ondelete="CASCADE",
        )


def downgrade() -> None:
    # A plain ADD COLUMN on both engines: a batch rebuild of report_photo would, on SQLite,
    # cascade to the content rows before they are copied back.
    op.add_column("report_photo", sa.Column("content", sa.LargeBinary(), nullable=True))
    op.execute(
        sa.text(
            "UPDATE report_photo SET content = (SELECT c.content FROM report_photo_content c "
            "WHERE c.photo_id = report_photo.id)"
        )
    )
    op.drop_table("report_photo_content")
