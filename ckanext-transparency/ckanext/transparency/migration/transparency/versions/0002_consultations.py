"""Consultations' contributions, and the notices that go out once (to followers, to officers).

Revision ID: 0002_consultations
Revises: 0001_ati_requests
Create Date: 2026-11-27
"""
import sqlalchemy as sa
from alembic import op

revision = "0002_consultations"
down_revision = "0001_ati_requests"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "transparency_contribution",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("package_id", sa.UnicodeText, sa.ForeignKey("package.id", ondelete="CASCADE"),
                  nullable=False, index=True),
        sa.Column("user_id", sa.UnicodeText, sa.ForeignKey("user.id"), nullable=False, index=True),
        sa.Column("text", sa.UnicodeText, nullable=False),
        sa.Column("section", sa.UnicodeText),
        sa.Column("attachment", sa.UnicodeText),
        sa.Column("show_name", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("public_name", sa.UnicodeText),
        sa.Column("state", sa.UnicodeText, nullable=False, server_default="pending"),
        sa.Column("reject_reason", sa.UnicodeText),
        sa.Column("answer_kind", sa.UnicodeText),
        sa.Column("answer_text", sa.UnicodeText),
        sa.Column("created", sa.DateTime, nullable=False),
        sa.Column("moderated", sa.DateTime),
        sa.Column("answered", sa.DateTime),
    )
    op.create_table(
        "transparency_notice",
        sa.Column("package_id", sa.UnicodeText, sa.ForeignKey("package.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("kind", sa.UnicodeText, primary_key=True),
        sa.Column("sent", sa.DateTime, nullable=False),
    )


def downgrade():
    op.drop_table("transparency_notice")
    op.drop_table("transparency_contribution")
