"""draft photos: a report photo is stored when it arrives in the bot, before the report

Revision ID: 20261202_draft_photos
Revises: 20261201_notification_settings
Create Date: 2026-12-02 05:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "20261202_draft_photos"
down_revision: str | None = "20261201_notification_settings"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("report_photo") as batch:
        batch.alter_column("report_id", existing_type=sa.Integer(), nullable=True)
        batch.add_column(sa.Column("draft_chat_id", sa.BigInteger(), nullable=True))


def downgrade() -> None:
    # Drafts belong to no report: the older schema has no place for them.
    op.execute(sa.text("DELETE FROM report_photo WHERE report_id IS NULL"))
    with op.batch_alter_table("report_photo") as batch:
        batch.drop_column("draft_chat_id")
        batch.alter_column("report_id", existing_type=sa.Integer(), nullable=False)
