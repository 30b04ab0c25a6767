"""search terms: word stems and Hangul pairs of every project's texts, for text search

Revision ID: 20261201_search_terms
Revises: 20261201_open_data
Create Date: 2026-12-01 18:00:00
"""

import json
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from core.projects.mapping import record_terms

revision: str = "20261201_search_terms"
down_revision: str | None = "20261201_open_data"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BATCH = 500


def upgrade() -> None:
    table = op.create_table(
        "search_term",
        sa.Column(
            "term",
            sa.String(length=64).with_variant(sa.String(64, collation="C"), "postgresql"),
            nullable=False,
        ),
        sa.Column("project_id", sa.String(length=255), nullable=False),
        sa.Column("field", sa.SmallInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["project.id"],
            name=op.f("fk_search_term_project_id_project"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("term", "project_id", name=op.f("pk_search_term")),
    )
    op.create_index("ix_search_term_project_id", "search_term", ["project_id"])
    op.create_index("ix_search_term_rank", "search_term", ["term", "field", "project_id"])
    words = op.create_table(
        "search_word",
        sa.Column(
            "term",
            sa.String(length=64).with_variant(sa.String(64, collation="C"), "postgresql"),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("term", name=op.f("pk_search_word")),
    )
    # Index the projects already stored, from their records as received.
    connection = op.get_bind()
    rows = connection.execute(sa.text("SELECT id, record FROM project ORDER BY id"))
    batch: list[dict[str, object]] = []
    vocabulary: set[str] = set()
    for project_id, record in rows.fetchall():
        terms = record_terms(json.loads(record))
        vocabulary.update(terms)
        batch += [{"term": t, "project_id": project_id, "field": f} for t, f in terms.items()]
        if len(batch) >= BATCH:
            op.bulk_insert(table, batch)
            batch = []
    if batch:
        op.bulk_insert(table, batch)
    if vocabulary:
        op.bulk_insert(words, [{"term": t} for t in sorted(vocabulary)])


def downgrade() -> None:
    op.drop_table("search_word")
    op.drop_index("ix_search_term_rank", table_name="search_term")
    op.drop_index("ix_search_term_project_id", table_name="search_term")
    op.drop_table("search_term")
