"""ATI requests: the requester's identity, the request's history, tracking
numbers, and the e-mail outbox.

Revision ID: 0001_ati_requests
Revises:
Create Date: 2026-11-27
"""
import sqlalchemy as sa
from alembic import op

revision = "0001_ati_requests"
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "transparency_ati_requester",
        sa.Column("package_id", sa.UnicodeText, sa.ForeignKey("package.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("user_id", sa.UnicodeText, sa.ForeignKey("user.id"), nullable=False, index=True),
        sa.Column("full_name", sa.UnicodeText, nullable=False),
        sa.Column("id_number", sa.UnicodeText, nullable=False),
        sa.Column("address", sa.UnicodeText, nullable=False),
        sa.Column("email", sa.UnicodeText, nullable=False),
        sa.Column("phone", sa.UnicodeText),
        sa.Column("urgent_reason", sa.UnicodeText),
        sa.Column("original_text", sa.UnicodeText, nullable=False),
        sa.Column("created", sa.DateTime, nullable=False),
    )
    op.create_table(
        "transparency_ati_event",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("package_id", sa.UnicodeText, sa.ForeignKey("package.id", ondelete="CASCADE"),
                  nullable=False, index=True),
        sa.Column("transition", sa.UnicodeText, nullable=False),
        sa.Column("from_state", sa.UnicodeText),
        sa.Column("to_state", sa.UnicodeText, nullable=False),
        sa.Column("actor_role", sa.UnicodeText, nullable=False),
        sa.Column("note", sa.UnicodeText),
        sa.Column("ground", sa.UnicodeText),
        sa.Column("created", sa.DateTime, nullable=False),
    )
    op.create_table(
        "transparency_ati_counter",
        sa.Column("year", sa.Integer, primary_key=True),
        sa.Column("last", sa.Integer, nullable=False),
    )
    op.create_table(
        "transparency_outbox",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("recipient", sa.UnicodeText, nullable=False),
        sa.Column("subject", sa.UnicodeText, nullable=False),
        sa.Column("body", sa.UnicodeText, nullable=False),
        sa.Column("created", sa.DateTime, nullable=False),
        sa.Column("sent", sa.DateTime),
        sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
        sa.Column("last_error", sa.UnicodeText),
    )
    op.create_index("transparency_outbox_unsent", "transparency_outbox", ["id"],
                    postgresql_where=sa.text("sent IS NULL"))


def downgrade():
    op.drop_table("transparency_outbox")
    op.drop_table("transparency_ati_counter")
    op.drop_table("transparency_ati_event")
    op.drop_table("transparency_ati_requester")
