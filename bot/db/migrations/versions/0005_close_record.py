"""What was offered and what the person took up, recorded when an item is closed (for the GP letter).

Revision ID: 0005_close_record
Revises: 0004_second_factor
"""

import sqlalchemy as sa
from alembic import op

revision = "0005_close_record"
down_revision = "0004_second_factor"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("queue_items", sa.Column("offered", sa.Text(), nullable=True))
    op.add_column("queue_items", sa.Column("taken_up", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("queue_items") as batch:
        batch.drop_column("taken_up")
        batch.drop_column("offered")
