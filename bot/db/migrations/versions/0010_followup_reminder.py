"""Follow-ups: when the one reminder was sent.

Revision ID: 0010_followup_reminder
Revises: 0009_outcomes
"""

import sqlalchemy as sa
from alembic import op

revision = "0010_followup_reminder"
down_revision = "0009_outcomes"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("followups") as batch:
        batch.add_column(sa.Column("reminded_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("followups") as batch:
        batch.drop_column("reminded_at")
