"""Initial tables: documents, entities, statements and issues.

Revision ID: 0001
Revises:
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    """Create the four tables and their indexes."""
    op.create_table(
        "documents",
        sa.Column("id", sa.String(64), nullable=False, comment="Content hash of the text"),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("title", sa.Text()),
        sa.Column("publisher", sa.Text()),
        sa.Column("url", sa.Text()),
        sa.Column("published", sa.Date()),
        sa.Column("language", sa.String(16)),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("ingested_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_documents"),
    )
    op.create_table(
        "entities",
        sa.Column("id", sa.String(64), nullable=False),
        sa.Column("schema", sa.String(64), nullable=False),
        sa.Column("caption", sa.Text(), nullable=False),
        sa.Column(
            "canonical_id",
            sa.String(64),
            nullable=False,
            comment="The resolver's cluster ID; equals id until the entity is merged",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_entities"),
    )
    op.create_index("ix_entities_canonical_id", "entities", ["canonical_id"])
    op.create_index("ix_entities_schema", "entities", ["schema"])
    op.create_table(
        "statements",
        sa.Column("id", sa.String(64), nullable=False),
        sa.Column("entity_id", sa.String(64), nullable=False),
        sa.Column("schema", sa.String(64), nullable=False),
        sa.Column("prop", sa.String(64), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.Column("original_value", sa.Text()),
        sa.Column("document_id", sa.String(64), nullable=False),
        sa.Column("start", sa.Integer(), nullable=False),
        sa.Column("end", sa.Integer(), nullable=False),
        sa.Column("sentence", sa.Text(), nullable=False),
        sa.Column("extractor", sa.String(128), nullable=False),
        sa.Column(
            "ordinal",
            sa.Integer(),
            nullable=False,
            comment="Position of the statement among its entity's statements in one write",
        ),
        sa.Column("first_seen", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_statements"),
        sa.ForeignKeyConstraint(
            ["entity_id"], ["entities.id"], name="fk_statements_entity_id_entities"
        ),
        sa.ForeignKeyConstraint(
            ["document_id"], ["documents.id"], name="fk_statements_document_id_documents"
        ),
    )
    op.create_index("ix_statements_entity_id", "statements", ["entity_id"])
    op.create_index("ix_statements_document_id", "statements", ["document_id"])
    op.create_index("ix_statements_schema_prop", "statements", ["schema", "prop"])
    op.create_table(
        "issues",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("run_id", sa.String(64), nullable=False),
        sa.Column("stage", sa.String(32), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("error", sa.String(128), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("created", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_issues"),
    )
    op.create_index("ix_issues_run_id", "issues", ["run_id"])


def downgrade() -> None:
    """Drop every table this revision created."""
    op.drop_table("issues")
    op.drop_table("statements")
    op.drop_table("entities")
    op.drop_table("documents")
