"""evidence bundles, follow-ups, retention and privacy

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("organisations", schema=None) as batch_op:
        batch_op.add_column(sa.Column("contact_address", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("contact_email", sa.String(length=320), nullable=True))
        batch_op.add_column(sa.Column("contact_phone", sa.String(length=50), nullable=True))
        batch_op.add_column(
            sa.Column("retention_days", sa.Integer(), server_default=sa.text("365"), nullable=False)
        )

    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("erased_at", sa.DateTime(timezone=True), nullable=True))

    with op.batch_alter_table("reports", schema=None) as batch_op:
        batch_op.add_column(sa.Column("recipient_role", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("author_details", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("author_lawful_basis", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("reviewed_severity", sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("purged_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("purge_reason", sa.String(length=32), nullable=True))

    op.create_table(
        "follow_ups",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("report_id", sa.String(length=32), nullable=False),
        sa.Column("org_id", sa.String(length=32), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("reference", sa.String(length=200), nullable=True),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("actor_id", sa.String(length=32), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["actor_id"], ["users.id"], name=op.f("fk_follow_ups_actor_id_users")),
        sa.ForeignKeyConstraint(
            ["org_id"], ["organisations.id"], name=op.f("fk_follow_ups_org_id_organisations")
        ),
        sa.ForeignKeyConstraint(
            ["report_id"],
            ["reports.id"],
            name=op.f("fk_follow_ups_report_id_reports"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_follow_ups")),
    )
    with op.batch_alter_table("follow_ups", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_follow_ups_org_id"), ["org_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_follow_ups_report_id"), ["report_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("follow_ups", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_follow_ups_report_id"))
        batch_op.drop_index(batch_op.f("ix_follow_ups_org_id"))
    op.drop_table("follow_ups")

    with op.batch_alter_table("reports", schema=None) as batch_op:
        for column in (
            "purge_reason",
            "purged_at",
            "closed_at",
            "reviewed_severity",
            "author_lawful_basis",
            "author_details",
            "recipient_role",
        ):
            batch_op.drop_column(column)

    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("erased_at")

    with op.batch_alter_table("organisations", schema=None) as batch_op:
        for column in ("retention_days", "contact_phone", "contact_email", "contact_address"):
            batch_op.drop_column(column)
