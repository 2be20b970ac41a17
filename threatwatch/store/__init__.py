"""The store: documents, entities and statements in SQLite or PostgreSQL; the only SQLAlchemy user.

Open a `Store` (it migrates the database unless told not to), write each document's
`Extraction` in one transaction, and read model objects back through `Store.view()`.
"""

from threatwatch.store.engine import make_engine
from threatwatch.store.migrate import MigrationStatus, get_status, make_revision, upgrade
from threatwatch.store.store import Store
from threatwatch.store.view import View, to_country_code

__all__ = [
    "MigrationStatus",
    "Store",
    "View",
    "get_status",
    "make_engine",
    "make_revision",
    "to_country_code",
    "upgrade",
]
