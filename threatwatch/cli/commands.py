"""Imports every command module so that each registers its commands on `main`."""

from threatwatch.cli import (
    analyse,  # noqa: F401
    db,  # noqa: F401
    documents,  # noqa: F401
    eval,  # noqa: F401
    screen,  # noqa: F401
    train,  # noqa: F401
)
