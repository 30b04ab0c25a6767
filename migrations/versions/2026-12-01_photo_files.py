"""photo file ids: Telegram's file_id of each site photo after its first upload

Revision ID: 20261201_photo_files
Revises: 20261201_search_terms
Create Date: 2026-12-01 18:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = "20261201_photo_files"
down_revision: str | None = "20261201_search_terms"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "photo_file",
        sa.Column("url_hash", sa.String(length=64), nullable=False),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("file_id", sa.String(length=255), nullable=False),
        sa.Column("cached_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("url_hash", name=op.f("pk_photo_file")),
    )


def downgrade() -> None:
    op.drop_table("photo_file")
