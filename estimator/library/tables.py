"""The library's tables (SQLAlchemy Core). The schema itself is created and changed only by the
migrations (``estimator/library/migrations``), never by ``create_all``."""

from __future__ import annotations

import sqlalchemy as sa

metadata = sa.MetaData()

scenarios = sa.Table(
    "scenarios",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("parent_id", sa.Integer, sa.ForeignKey("scenarios.id", ondelete="SET NULL")),
    sa.Column("note", sa.Text, nullable=False, default=""),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("inputs_json", sa.Text, nullable=False),
    sa.Column("inputs_hash", sa.String(64), nullable=False),
    sa.Column("companies", sa.Integer, nullable=False),
    sa.Column("windows", sa.Integer, nullable=False),
    sa.UniqueConstraint("name", "version", name="uq_scenario_name_version"),
)

estimates = sa.Table(
    "estimates",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column(
        "scenario_id",
        sa.Integer,
        sa.ForeignKey("scenarios.id", ondelete="CASCADE"),
        nullable=False,
    ),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("as_of", sa.DateTime(timezone=True), nullable=False),
    sa.Column("dependency_rule", sa.String(40), nullable=False),
    sa.Column("package_version", sa.String(40), nullable=False),
    sa.Column("catalog_version", sa.String(64), nullable=False),
    sa.Column("inputs_hash", sa.String(64), nullable=False),
    sa.Column("summary_json", sa.Text, nullable=False),
)
