"""Imports every command module so that each registers its commands on `main`."""
from threatwatch.cli import eval  # noqa: F401
