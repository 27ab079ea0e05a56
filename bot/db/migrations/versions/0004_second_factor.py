"""Second factor for staff: a TOTP secret per account, and sessions waiting for their code.

Revision ID: 0004_second_factor
Revises: 0003_merge
"""

import sqlalchemy as sa
from alembic import op

revision = "0004_second_factor"
down_revision = "0003_merge"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("staff_users", sa.Column("totp_secret", sa.String(length=64), nullable=True))
    op.add_column(
        "staff_sessions",
        sa.Column("second_factor_pending", sa.Boolean(), nullable=False, server_default=sa.false()),
    )


def downgrade() -> None:
    with op.batch_alter_table("staff_sessions") as batch:
        batch.drop_column("second_factor_pending")
    with op.batch_alter_table("staff_users") as batch:
        batch.drop_column("totp_secret")
