"""Reuses proposed by citizens: who proposed which reuse, in which language, and the
officers' decision (the author never enters the package).

Revision ID: 0011_reuse_proposals
Revises: 0010_participation
Create Date: 2026-11-30
"""
import sqlalchemy as sa
from alembic import op

revision = "0011_reuse_proposals"
down_revision = "0010_participation"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "transparency_reuse_proposal",
        sa.Column("package_id", sa.UnicodeText, sa.ForeignKey("package.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("user_id", sa.UnicodeText, sa.ForeignKey("user.id", ondelete="CASCADE"), nullable=False,
                  index=True),
        sa.Column("lang", sa.UnicodeText, nullable=False),
        sa.Column("state", sa.UnicodeText, nullable=False),
        sa.Column("reason", sa.UnicodeText),
        sa.Column("decided_by", sa.UnicodeText, sa.ForeignKey("user.id", ondelete="SET NULL")),
        sa.Column("created", sa.DateTime, nullable=False),
        sa.Column("decided", sa.DateTime),
    )


def downgrade():
    op.drop_table("transparency_reuse_proposal")
