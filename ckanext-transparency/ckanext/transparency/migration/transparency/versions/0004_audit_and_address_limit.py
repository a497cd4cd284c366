"""Who made each change of a request (audit, never public) and a keyed hash of
the address requests come from (per-address limit, no address stored).

Revision ID: 0004_audit_and_address_limit
Revises: 0003_index_queue
Create Date: 2026-11-27
"""
import sqlalchemy as sa
from alembic import op

revision = "0004_audit_and_address_limit"
down_revision = "0003_index_queue"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("transparency_ati_event", sa.Column("user_id", sa.UnicodeText, sa.ForeignKey("user.id")))
    op.add_column("transparency_ati_requester", sa.Column("address_hash", sa.UnicodeText))
    op.create_index("transparency_ati_requester_address", "transparency_ati_requester", ["address_hash", "created"])


def downgrade():
    op.drop_index("transparency_ati_requester_address", "transparency_ati_requester")
    op.drop_column("transparency_ati_requester", "address_hash")
    op.drop_column("transparency_ati_event", "user_id")
