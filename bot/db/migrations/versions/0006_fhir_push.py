"""The FHIR push outbox: submitted intakes waiting to be sent to the FHIR endpoint.

Revision ID: 0006_fhir_push
Revises: 0005_close_record
"""

import sqlalchemy as sa
from alembic import op

revision = "0006_fhir_push"
down_revision = "0005_close_record"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "fhir_outbox",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("intake_id", sa.Integer(), sa.ForeignKey("intakes.id", ondelete="CASCADE"), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("claimed_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_error", sa.String(length=255), nullable=True),
        sa.Column("location", sa.String(length=255), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.UniqueConstraint("intake_id", name="uq_fhir_outbox_intake"),
    )
    op.create_index("ix_fhir_outbox_status", "fhir_outbox", ["status"])


def downgrade() -> None:
    op.drop_index("ix_fhir_outbox_status", table_name="fhir_outbox")
    op.drop_table("fhir_outbox")
