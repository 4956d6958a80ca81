"""Reading: the text of each page (with the engine that read it) and the proposals made from it.

Each document gets a ``text_status`` (none, pending, done, failed) and, when reading failed,
why. Documents already in the store become pending, so the window reads them in the
background after the upgrade. Proposals (slot, title, dates, language, origin) are kept
apart from the document's own fields: nothing is applied until the user accepts it.

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("documents") as batch:
        batch.add_column(
            sa.Column("text_status", sa.String(10), nullable=False, server_default="pending")
        )
        batch.add_column(sa.Column("text_error", sa.Text(), nullable=False, server_default=""))
        # why some fields were not proposed (a zone whose check digits fail, two dates…)
        batch.add_column(sa.Column("reading_notes", sa.Text(), nullable=False, server_default=""))
    op.create_table(
        "page_texts",
        sa.Column(
            "document_id",
            sa.Integer(),
            sa.ForeignKey("documents.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("page_index", sa.Integer(), primary_key=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("engine", sa.String(40), nullable=False),
        sa.Column("engine_version", sa.String(80), nullable=False),
        sa.Column("read_at", sa.DateTime(), nullable=False),
    )
    op.create_table(
        "proposals",
        sa.Column(
            "document_id",
            sa.Integer(),
            sa.ForeignKey("documents.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("field", sa.String(20), primary_key=True),
        sa.Column("value", sa.Text(), nullable=False),
        sa.Column("page", sa.Integer(), nullable=False),
        sa.Column("evidence", sa.Text(), nullable=False),
    )
    op.create_index("ix_documents_text_status", "documents", ["text_status"])


def downgrade() -> None:
    op.drop_index("ix_documents_text_status", "documents")
    op.drop_table("proposals")
    op.drop_table("page_texts")
    with op.batch_alter_table("documents") as batch:
        batch.drop_column("reading_notes")
        batch.drop_column("text_error")
        batch.drop_column("text_status")
