"""The directory of community offers (Open Referral UK), its syncs, and link workers' decisions on offers.

Revision ID: 0008_directory
Revises: 0007_teams
"""

import sqlalchemy as sa
from alembic import op

revision = "0008_directory"
down_revision = "0007_teams"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "directory_services",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("source", sa.String(length=255), nullable=False),
        sa.Column("source_id", sa.String(length=255), nullable=False),
        sa.Column("name", sa.String(length=500), nullable=False),
        sa.Column("organisation", sa.String(length=500), nullable=True),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("record", sa.JSON(), nullable=False),
        sa.Column("features", sa.JSON(), nullable=False),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("first_seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("synced_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("source", "source_id", name="uq_directory_service_source"),
    )
    op.create_index("ix_directory_services_source", "directory_services", ["source"])
    op.create_index("ix_directory_services_active", "directory_services", ["active"])
    op.create_table(
        "directory_syncs",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("source", sa.String(length=255), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("ok", sa.Boolean(), nullable=False),
        sa.Column("seen", sa.Integer(), nullable=False),
        sa.Column("added", sa.Integer(), nullable=False),
        sa.Column("updated", sa.Integer(), nullable=False),
        sa.Column("unchanged", sa.Integer(), nullable=False),
        sa.Column("deactivated", sa.Integer(), nullable=False),
        sa.Column("skipped", sa.Integer(), nullable=False),
        sa.Column("problems", sa.JSON(), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
    )
    op.create_index("ix_directory_syncs_source", "directory_syncs", ["source"])
    op.create_table(
        "offer_decisions",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("intake_id", sa.Integer(), sa.ForeignKey("intakes.id", ondelete="CASCADE"), nullable=False),
        sa.Column(
            "service_id", sa.Integer(), sa.ForeignKey("directory_services.id", ondelete="RESTRICT"), nullable=False
        ),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("decided_by", sa.String(length=255), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("intake_id", "service_id", name="uq_offer_decision"),
        sa.CheckConstraint("status IN ('suggested', 'taken_up', 'not_suitable')", name="ck_offer_status"),
    )
    op.create_index("ix_offer_decisions_intake_id", "offer_decisions", ["intake_id"])


def downgrade() -> None:
    op.drop_table("offer_decisions")
    op.drop_table("directory_syncs")
    op.drop_table("directory_services")
