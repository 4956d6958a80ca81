"""Checklist facts: case facts, slot decisions with reasons, document origin and legalisation date.

A conditional slot is decided (applies, or not applicable with a reason) instead of assumed;
a case's facts (city, agent, route, marriage date…) decide what they can. A document's origin
(issued in China, abroad, or by a foreign mission in China) decides legalisation, separately
from its language; a scan that includes its legalisation records that legalisation's date. A
legalisation filing may cover several originals of its slot.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("documents") as batch:
        # china | abroad | mission; NULL = not known yet (never assumed to be abroad)
        batch.add_column(sa.Column("issued_in", sa.String(16), nullable=True))
        # the date of the apostille/legalisation included in the scan (``legalised``)
        batch.add_column(sa.Column("legalised_on", sa.Date(), nullable=True))
    op.create_table(
        "case_facts",
        sa.Column(
            "case_id", sa.Integer(), sa.ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True
        ),
        sa.Column("key", sa.String(40), primary_key=True),
        sa.Column("value", sa.Text(), nullable=False),
    )
    op.create_table(
        "slot_decisions",
        sa.Column(
            "case_id", sa.Integer(), sa.ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True
        ),
        sa.Column("slot_id", sa.String(80), primary_key=True),
        sa.Column("applies", sa.Boolean(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
    )
    op.execute(
        "INSERT INTO slot_decisions (case_id, slot_id, applies, reason) "
        "SELECT case_id, slot_id, 0, '' FROM not_applicable"
    )
    op.drop_table("not_applicable")
    op.create_table(
        "filing_covers",
        sa.Column(
            "filing_id",
            sa.Integer(),
            sa.ForeignKey("filings.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column(
            "original_id",
            sa.Integer(),
            sa.ForeignKey("filings.id", ondelete="CASCADE"),
            primary_key=True,
        ),
    )


def downgrade() -> None:
    op.drop_table("filing_covers")
    op.create_table(
        "not_applicable",
        sa.Column(
            "case_id", sa.Integer(), sa.ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True
        ),
        sa.Column("slot_id", sa.String(80), primary_key=True),
    )
    op.execute(
        "INSERT INTO not_applicable (case_id, slot_id) "
        "SELECT case_id, slot_id FROM slot_decisions WHERE applies = 0"
    )
    op.drop_table("slot_decisions")
    op.drop_table("case_facts")
    with op.batch_alter_table("documents") as batch:
        batch.drop_column("legalised_on")
        batch.drop_column("issued_in")
