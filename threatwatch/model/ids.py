"""Deterministic identifiers: the same content always gets the same ID."""

from __future__ import annotations

import hashlib
import uuid

# Fixed namespace for STIX IDs: uuid5(namespace, our id) is stable across runs and machines.
STIX_NAMESPACE = uuid.UUID("6b0f3c8e-2a51-5d7e-9c43-1f0e8a7d2b64")


def make_id(prefix: str, *parts: object) -> str:
    """Return `prefix-<hash>` where the hash covers every part, in order.

    None parts hash as the empty string, so optional values need no special casing.
    """
    if not prefix:
        raise ValueError("make_id needs a non-empty prefix")
    digest = hashlib.sha1(usedforsecurity=False)
    for part in parts:
        digest.update(("" if part is None else str(part)).encode("utf-8"))
        digest.update(b"\x1f")
    return f"{prefix}-{digest.hexdigest()[:20]}"


def stix_id(stix_type: str, our_id: str) -> str:
    """Return the STIX 2.1 identifier of one of our objects."""
    return f"{stix_type}--{uuid.uuid5(STIX_NAMESPACE, our_id)}"
