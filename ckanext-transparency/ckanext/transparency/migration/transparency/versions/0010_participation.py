"""Participation that closes the loop: contributions on an article of the draft
(with a quoted passage and a proposed rewording), supports, and the commitment a
contribution led to.

Revision ID: 0010_participation
Revises: 0009_rights_and_following
Create Date: 2026-11-30
"""
import sqlalchemy as sa
from alembic import op

revision = "0010_participation"
down_revision = "0009_rights_and_following"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("transparency_contribution", sa.Column("article", sa.UnicodeText))
    op.add_column("transparency_contribution", sa.Column("quote", sa.UnicodeText))
    op.add_column("transparency_contribution", sa.Column("proposal", sa.UnicodeText))
    op.add_column("transparency_contribution", sa.Column("lang", sa.UnicodeText))
    op.add_column("transparency_contribution", sa.Column("commitment_id", sa.UnicodeText,
                                                         sa.ForeignKey("package.id", ondelete="SET NULL"),
                                                         index=True))
    op.create_table(
        "transparency_contribution_support",
        sa.Column("contribution_id", sa.Integer,
                  sa.ForeignKey("transparency_contribution.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("user_id", sa.UnicodeText, sa.ForeignKey("user.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("created", sa.DateTime, nullable=False),
    )


def downgrade():
    op.drop_table("transparency_contribution_support")
    for column in ("commitment_id", "lang", "proposal", "quote", "article"):
        op.drop_column("transparency_contribution", column)
