"""Teams, their members and entry points; each intake's team, entry point and referral source;
the entry point an SMS number was last invited to.

Everything already here goes to one default team that also takes people not registered with a GP,
and every link worker joins it: nobody loses sight of what they saw before.

Revision ID: 0007_teams
Revises: 0006_fhir_push
"""

import sqlalchemy as sa
from alembic import op

revision = "0007_teams"
down_revision = "0006_fhir_push"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "teams",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("code", sa.String(length=32), nullable=False, unique=True),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("practices", sa.JSON(), nullable=False),
        sa.Column("takes_unregistered", sa.Boolean(), nullable=False),
        sa.Column("is_default", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("kind IN ('practice', 'network', 'hub')", name="ck_team_kind"),
    )
    op.create_table(
        "team_members",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("team_id", sa.Integer(), sa.ForeignKey("teams.id", ondelete="CASCADE"), nullable=False),
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("staff_users.id", ondelete="CASCADE"), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("team_id", "user_id", name="uq_team_member"),
    )
    op.create_index("ix_team_members_team_id", "team_members", ["team_id"])
    op.create_index("ix_team_members_user_id", "team_members", ["user_id"])
    op.create_table(
        "entry_points",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("code", sa.String(length=16), nullable=False, unique=True),
        sa.Column("team_id", sa.Integer(), sa.ForeignKey("teams.id", ondelete="CASCADE"), nullable=False),
        sa.Column("place", sa.String(length=120), nullable=False),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("source IN ('gp', 'ae', 'self', 'community', 'other')", name="ck_entry_source"),
    )
    op.create_index("ix_entry_points_team_id", "entry_points", ["team_id"])
    # Plain ADD COLUMN: on SQLite a batch would copy and drop `intakes`, and with foreign keys on,
    # dropping it cascades to every answer. SQLite cannot add a foreign key to an existing table;
    # PostgreSQL gets them (teams and entry points are deactivated, never deleted, by the app).
    op.add_column("intakes", sa.Column("team_id", sa.Integer(), nullable=True))
    op.add_column("intakes", sa.Column("entry_point_id", sa.Integer(), nullable=True))
    op.add_column("intakes", sa.Column("referral_source", sa.String(length=16), nullable=True))
    op.create_index("ix_intakes_team_id", "intakes", ["team_id"])
    op.add_column("sms_contacts", sa.Column("entry_code", sa.String(length=16), nullable=True))
    if op.get_bind().dialect.name != "sqlite":
        op.create_foreign_key("fk_intakes_team", "intakes", "teams", ["team_id"], ["id"], ondelete="SET NULL")
        op.create_foreign_key(
            "fk_intakes_entry_point", "intakes", "entry_points", ["entry_point_id"], ["id"], ondelete="SET NULL"
        )

    now = sa.func.now()
    teams = sa.table(
        "teams",
        sa.column("id", sa.Integer),
        sa.column("code", sa.String),
        sa.column("name", sa.String),
        sa.column("kind", sa.String),
        sa.column("practices", sa.JSON),
        sa.column("takes_unregistered", sa.Boolean),
        sa.column("is_default", sa.Boolean),
        sa.column("created_at", sa.DateTime(timezone=True)),
    )
    op.execute(
        teams.insert().values(
            code="main",
            name="Social prescribing team",
            kind="practice",
            practices=[],
            takes_unregistered=True,
            is_default=True,
            created_at=now,
        )
    )
    op.execute("UPDATE intakes SET team_id = (SELECT id FROM teams WHERE code = 'main')")
    op.execute(
        "INSERT INTO team_members (team_id, user_id, created_at) "
        "SELECT (SELECT id FROM teams WHERE code = 'main'), id, CURRENT_TIMESTAMP FROM staff_users "
        "WHERE role = 'linkworker'"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        op.drop_constraint("fk_intakes_entry_point", "intakes", type_="foreignkey")
        op.drop_constraint("fk_intakes_team", "intakes", type_="foreignkey")
    op.drop_column("sms_contacts", "entry_code")
    op.drop_index("ix_intakes_team_id", table_name="intakes")
    for column in ("referral_source", "entry_point_id", "team_id"):
        op.drop_column("intakes", column)
    op.drop_index("ix_entry_points_team_id", table_name="entry_points")
    op.drop_table("entry_points")
    op.drop_index("ix_team_members_user_id", table_name="team_members")
    op.drop_index("ix_team_members_team_id", table_name="team_members")
    op.drop_table("team_members")
    op.drop_table("teams")
