"""The requester's language (their e-mails are written in it first), saved
searches and the followers' digests.

Revision ID: 0009_rights_and_following
Revises: 0008_registered_requests
Create Date: 2026-11-30
"""
import sqlalchemy as sa
from alembic import op

revision = "0009_rights_and_following"
down_revision = "0008_registered_requests"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("transparency_ati_requester", sa.Column("language", sa.UnicodeText, nullable=False,
                                                          server_default="fr"))
    op.create_table(
        "transparency_saved_search",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("user_id", sa.UnicodeText, sa.ForeignKey("user.id", ondelete="CASCADE"), nullable=False, index=True),
        sa.Column("dataset_type", sa.UnicodeText, nullable=False),
        sa.Column("q", sa.UnicodeText, nullable=False, server_default=""),
        sa.Column("filters", sa.UnicodeText, nullable=False, server_default="[]"),
        sa.Column("created", sa.DateTime, nullable=False),
    )
    op.create_table(
        "transparency_digest",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("user_id", sa.UnicodeText, sa.ForeignKey("user.id", ondelete="CASCADE"), nullable=False, index=True),
        sa.Column("sent", sa.DateTime, nullable=False),
        sa.Column("stopped", sa.DateTime),
    )


def downgrade():
    op.drop_table("transparency_digest")
    op.drop_table("transparency_saved_search")
    op.drop_column("transparency_ati_requester", "language")
