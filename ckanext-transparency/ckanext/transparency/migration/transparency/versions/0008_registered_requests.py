"""Requests registered by an officer (received on paper, at the counter, by post):
their requester has no account.

Revision ID: 0008_registered_requests
Revises: 0007_document_text
Create Date: 2026-11-30
"""
import sqlalchemy as sa
from alembic import op

revision = "0008_registered_requests"
down_revision = "0007_document_text"
branch_labels = None
depends_on = None


def upgrade():
    op.alter_column("transparency_ati_requester", "user_id", existing_type=sa.UnicodeText, nullable=True)


def downgrade():
    op.execute("DELETE FROM transparency_ati_requester WHERE user_id IS NULL")
    op.alter_column("transparency_ati_requester", "user_id", existing_type=sa.UnicodeText, nullable=False)
