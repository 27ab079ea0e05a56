"""Merge the review-app and SMS branches into one line of history.

Both were added on top of 0001 independently; they touch different tables, so
the merge changes nothing in the schema. After it, the schema has one head
and later revisions follow it.

Revision ID: 0003_merge
Revises: 0002_review, 0002_sms
"""

revision = "0003_merge"
down_revision = ("0002_review", "0002_sms")
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
