"""SQLAlchemy Core tables of the store: documents, entities, statements and the run's issues.

Every change here needs a migration under `migrations/versions/` (see docs/store.md).
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import (
    Column,
    Date,
    DateTime,
    Dialect,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    TypeDecorator,
)


class UTCDateTime(TypeDecorator[datetime]):
    """An aware UTC datetime on every backend; SQLite keeps it as naive UTC text."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        """Convert an aware datetime to UTC; naive datetimes are refused as ambiguous."""
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"store times must be timezone-aware, got naive {value!r}")
        value = value.astimezone(UTC)
        # SQLite has no time zone type: keep naive UTC so text comparisons stay correct.
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        """Return the stored time as an aware UTC datetime."""
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


metadata = MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

documents = Table(
    "documents",
    metadata,
    Column("id", String(64), primary_key=True, comment="Content hash of the text"),
    Column("text", Text, nullable=False),
    Column("title", Text),
    Column("publisher", Text),
    Column("url", Text),
    Column("published", Date),
    Column("language", String(16)),
    Column("source", Text, nullable=False),
    Column("ingested_at", UTCDateTime, nullable=False),
)

entities = Table(
    "entities",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("schema", String(64), nullable=False),
    Column("caption", Text, nullable=False),
    Column(
        "canonical_id",
        String(64),
        nullable=False,
        comment="The resolver's cluster ID; equals id until the entity is merged",
    ),
    Index("ix_entities_canonical_id", "canonical_id"),
    Index("ix_entities_schema", "schema"),
)

statements = Table(
    "statements",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("entity_id", String(64), ForeignKey("entities.id"), nullable=False),
    Column("schema", String(64), nullable=False),
    Column("prop", String(64), nullable=False),
    Column("value", Text, nullable=False),
    Column("original_value", Text),
    Column("document_id", String(64), ForeignKey("documents.id"), nullable=False),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
    Column("sentence", Text, nullable=False),
    Column("extractor", String(128), nullable=False),
    Column(
        "ordinal",
        Integer,
        nullable=False,
        comment="Position of the statement among its entity's statements in one write",
    ),
    Column("first_seen", UTCDateTime, nullable=False),
    Column("last_seen", UTCDateTime, nullable=False),
    Index("ix_statements_entity_id", "entity_id"),
    Index("ix_statements_document_id", "document_id"),
    Index("ix_statements_schema_prop", "schema", "prop"),
)

issues = Table(
    "issues",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("run_id", String(64), nullable=False),
    Column("stage", String(32), nullable=False),
    Column("source", Text, nullable=False),
    Column("error", String(128), nullable=False),
    Column("message", Text, nullable=False),
    Column("created", UTCDateTime, nullable=False),
    Index("ix_issues_run_id", "run_id"),
)
