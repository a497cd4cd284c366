"""Progress updates on the milestones of OGP commitments.

Revision ID: 0005_milestone_updates
Revises: 0004_audit_and_address_limit
Create Date: 2026-11-27
"""
import sqlalchemy as sa
from alembic import op

revision = "0005_milestone_updates"
down_revision = "0004_audit_and_address_limit"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "transparency_milestone_update",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("package_id", sa.UnicodeText, sa.ForeignKey("package.id", ondelete="CASCADE"),
                  nullable=False, index=True),
        sa.Column("milestone", sa.Integer, nullable=False),
        sa.Column("milestone_title", sa.UnicodeText, nullable=False),
        sa.Column("state", sa.UnicodeText, nullable=False),
        sa.Column("date", sa.Date, nullable=False),
        sa.Column("comment", sa.UnicodeText),
        sa.Column("evidence_url", sa.UnicodeText),
        sa.Column("user_id", sa.UnicodeText, sa.ForeignKey("user.id")),
        sa.Column("created", sa.DateTime, nullable=False),
    )


def downgrade():
    op.drop_table("transparency_milestone_update")
