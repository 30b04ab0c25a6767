"""notification settings: quiet hours, area digests, mutes; urgency and expiry of deliveries

Revision ID: 20261201_notification_settings
Revises: 20261201_photo_files
Create Date: 2026-12-01 18:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "20261201_notification_settings"
down_revision: str | None = "20261201_photo_files"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("chat") as batch:
        batch.add_column(sa.Column("quiet_hours", sa.String(length=11), nullable=True))
        batch.add_column(
            sa.Column("quiet_hold", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
        batch.add_column(sa.Column("digest_hour", sa.SmallInteger(), nullable=True))
    with op.batch_alter_table("subscription") as batch:
        batch.add_column(sa.Column("muted_until", sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table("delivery") as batch:
        batch.add_column(
            sa.Column("urgency", sa.String(length=8), server_default="normal", nullable=False)
        )
        batch.add_column(sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("held_until", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(
            sa.Column("silent", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
        batch.create_index("ix_delivery_expires_at", ["expires_at"], unique=False)
    with op.batch_alter_table("broadcast") as batch:
        batch.add_column(
            sa.Column("urgency", sa.String(length=8), server_default="normal", nullable=False)
        )
        batch.add_column(sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("broadcast") as batch:
        batch.drop_column("expires_at")
        batch.drop_column("urgency")
    with op.batch_alter_table("delivery") as batch:
        batch.drop_index("ix_delivery_expires_at")
        batch.drop_column("silent")
        batch.drop_column("held_until")
        batch.drop_column("expires_at")
        batch.drop_column("urgency")
    with op.batch_alter_table("subscription") as batch:
        batch.drop_column("muted_until")
    with op.batch_alter_table("chat") as batch:
        batch.drop_column("digest_hour")
        batch.drop_column("quiet_hold")
        batch.drop_column("quiet_hours")
