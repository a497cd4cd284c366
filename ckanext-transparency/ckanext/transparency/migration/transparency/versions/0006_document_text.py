"""The text read from uploaded documents, indexed with their record.

Revision ID: 0006_document_text
Revises: 0005_milestone_updates
Create Date: 2026-11-29
"""
import sqlalchemy as sa
from alembic import op

revision = "0006_document_text"
down_revision = "0005_milestone_updates"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "transparency_document_text",
        sa.Column("resource_id", sa.UnicodeText, sa.ForeignKey("resource.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("package_id", sa.UnicodeText, sa.ForeignKey("package.id", ondelete="CASCADE"),
                  nullable=False, index=True),
        sa.Column("sha256", sa.UnicodeText, nullable=False),
        sa.Column("text", sa.UnicodeText),
        sa.Column("error", sa.UnicodeText),
        sa.Column("extracted", sa.DateTime, nullable=False),
    )


def downgrade():
    op.drop_table("transparency_document_text")
