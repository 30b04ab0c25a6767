"""delivery engine schema: the display name a broadcast is sent under

Revision ID: 0003
Revises: 0001
Create Date: 2026-11-29 08:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("broadcast") as batch:
        batch.add_column(sa.Column("sender", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("broadcast") as batch:
        batch.drop_column("sender")
