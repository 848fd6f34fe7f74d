"""campaigns, repeat senders and the queue priority

Revision ID: 0004_campaigns
Revises: 0003_training
Create Date: 2026-12-05

Adds reports.campaign_id, author_key and priority, the table of LSH band keys, and moves the queue
indexes from severity_score to priority. Existing reports get: campaigns from their exact
duplicates, author keys, and their priority (the formula of triage.store.priority, frozen here in
SQL). Near-duplicate band keys of existing texts are not
computed here (that needs the engine's normaliser): `triage campaigns index` does it afterwards.

Columns are added and dropped with plain ALTER TABLE (no batch copy of `reports`, whose rows other
tables reference with ON DELETE CASCADE).
"""

from __future__ import annotations

import unicodedata

import sqlalchemy as sa
from alembic import op

revision = "0004_campaigns"
down_revision = "0003_training"
branch_labels = None
depends_on = None

_LEVEL = "CASE severity WHEN 'low' THEN 1 WHEN 'medium' THEN 2 WHEN 'high' THEN 3 WHEN 'critical' THEN 4 ELSE 0 END"
_PLACE = f"(severity_score - 0.2 * ({_LEVEL})) / 0.2"
_CAMPAIGN_BONUS = (
    "(SELECT CASE WHEN count(*) >= 16 THEN 0.55 WHEN count(*) >= 8 THEN 0.5 WHEN count(*) >= 4 THEN 0.4 "
    "WHEN count(*) >= 2 THEN 0.3 ELSE 0.0 END FROM reports AS m WHERE m.campaign_id = reports.campaign_id)"
)
_AUTHOR_BONUS = (
    "(SELECT CASE WHEN count(*) >= 5 THEN 0.3 WHEN count(*) >= 3 THEN 0.25 WHEN count(*) >= 2 THEN 0.2 "
    "ELSE 0.0 END FROM reports AS m WHERE m.org_id = reports.org_id AND m.author_key = reports.author_key "
    "AND m.platform = reports.platform)"
)
_PRIORITY = f"""0.2 * (({_LEVEL})
    + 0.1 * (CASE WHEN {_PLACE} < 0 THEN 0.0 WHEN {_PLACE} > 1 THEN 1.0 ELSE {_PLACE} END)
    + {_CAMPAIGN_BONUS} + {_AUTHOR_BONUS})"""


def _author_key(handle: str) -> str | None:
    key = unicodedata.normalize("NFKC", handle).strip().lstrip("@").strip().casefold()
    return key[:500] or None


def upgrade() -> None:
    op.add_column("reports", sa.Column("campaign_id", sa.String(length=32), nullable=True))
    op.add_column("reports", sa.Column("author_key", sa.String(length=500), nullable=True))
    op.add_column("reports", sa.Column("priority", sa.Float(), server_default="0", nullable=False))
    op.create_table(
        "campaign_bands",
        sa.Column("key", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("report_id", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(
            ["report_id"],
            ["reports.id"],
            name=op.f("fk_campaign_bands_report_id_reports"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("key", "report_id", name=op.f("pk_campaign_bands")),
        sqlite_with_rowid=False,
    )

    connection = op.get_bind()
    handles = connection.execute(
        sa.text("SELECT id, author_handle FROM reports WHERE author_handle IS NOT NULL")
    )
    keys = [{"id": row[0], "key": _author_key(row[1])} for row in handles]
    if keys:
        connection.execute(sa.text("UPDATE reports SET author_key = :key WHERE id = :id"), keys)
    op.execute("UPDATE reports SET campaign_id = duplicate_of_id WHERE duplicate_of_id IS NOT NULL")
    op.execute(
        "UPDATE reports SET campaign_id = id WHERE duplicate_of_id IS NULL AND id IN "
        "(SELECT duplicate_of_id FROM reports WHERE duplicate_of_id IS NOT NULL)"
    )
    # Counted with the indexes made for it (created first).
    op.create_index(
        "ix_reports_org_author_key", "reports", ["org_id", "author_key", "platform", "created_at"]
    )
    op.create_index("ix_reports_campaign", "reports", ["campaign_id", "created_at"])
    op.execute(f"UPDATE reports SET priority = {_PRIORITY}")

    op.drop_index("ix_reports_queue", table_name="reports")
    op.drop_index("ix_reports_org_order", table_name="reports")
    op.drop_index("ix_reports_org_author", table_name="reports")
    op.create_index(
        "ix_reports_queue", "reports", ["org_id", "status", sa.text("priority DESC"), "created_at", "id"]
    )
    op.create_index(
        "ix_reports_org_order", "reports", ["org_id", sa.text("priority DESC"), "created_at", "id"]
    )


def downgrade() -> None:
    op.drop_index("ix_reports_campaign", table_name="reports")
    op.drop_index("ix_reports_org_author_key", table_name="reports")
    op.drop_index("ix_reports_org_order", table_name="reports")
    op.drop_index("ix_reports_queue", table_name="reports")
    op.create_index("ix_reports_org_author", "reports", ["org_id", "author_handle"])
    op.create_index(
        "ix_reports_org_order", "reports", ["org_id", sa.text("severity_score DESC"), "created_at", "id"]
    )
    op.create_index(
        "ix_reports_queue",
        "reports",
        ["org_id", "status", sa.text("severity_score DESC"), "created_at", "id"],
    )
    op.drop_table("campaign_bands")
    for column in ("priority", "author_key", "campaign_id"):
        op.drop_column("reports", column)
