"""Redaction: the unmasked text of history entries and contributions, documents kept from the public
(sent to the requester only, or hidden after publication) and the audit of redactions.

Revision ID: 0007_redaction
Revises: 0006_document_text
Create Date: 2026-11-29
"""
import sqlalchemy as sa
from alembic import op

revision = "0007_redaction"
down_revision = "0006_document_text"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("transparency_ati_event", sa.Column("original", sa.UnicodeText))
    op.add_column("transparency_contribution", sa.Column("original_text", sa.UnicodeText))
    op.create_table(
        "transparency_ati_document",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("package_id", sa.UnicodeText, sa.ForeignKey("package.id", ondelete="CASCADE"),
                  nullable=False, index=True),
        sa.Column("name", sa.UnicodeText, nullable=False),
        sa.Column("path", sa.UnicodeText),
        sa.Column("url", sa.UnicodeText),
        sa.Column("reason", sa.UnicodeText, nullable=False),
        sa.Column("user_id", sa.UnicodeText, sa.ForeignKey("user.id")),
        sa.Column("created", sa.DateTime, nullable=False),
    )
    op.create_table(
        "transparency_redaction",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("package_id", sa.UnicodeText, sa.ForeignKey("package.id", ondelete="CASCADE"),
                  nullable=False, index=True),
        sa.Column("kind", sa.UnicodeText, nullable=False),
        sa.Column("original", sa.UnicodeText, nullable=False),
        sa.Column("reason", sa.UnicodeText, nullable=False),
        sa.Column("user_id", sa.UnicodeText, sa.ForeignKey("user.id")),
        sa.Column("created", sa.DateTime, nullable=False),
    )


def downgrade():
    op.drop_table("transparency_redaction")
    op.drop_table("transparency_ati_document")
    op.drop_column("transparency_contribution", "original_text")
    op.drop_column("transparency_ati_event", "original")
