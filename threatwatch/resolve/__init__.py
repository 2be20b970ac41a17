"""Resolution: which stored records are the same real-world incident or actor."""

from threatwatch.resolve.incidents import (
    RESOLVER,
    cluster_incidents,
    is_same_incident,
    is_same_place,
    is_same_type,
)

__all__ = ["RESOLVER", "cluster_incidents", "is_same_incident", "is_same_place", "is_same_type"]
