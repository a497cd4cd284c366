"""Packages saved while Solr could not be reached, to index once it is back.

Revision ID: 0003_index_queue
Revises: 0002_consultations
Create Date: 2026-11-27
"""
import sqlalchemy as sa
from alembic import op

revision = "0003_index_queue"
down_revision = "0002_consultations"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "transparency_index_queue",
        sa.Column("package_id", sa.UnicodeText, primary_key=True),
        sa.Column("queued", sa.DateTime, nullable=False),
    )


def downgrade():
    op.drop_table("transparency_index_queue")
