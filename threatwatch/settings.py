"""Settings read from THREATWATCH_* environment variables; only cli and serve read them."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Run-time configuration; every field is the env var THREATWATCH_<NAME>."""

    model_config = SettingsConfigDict(env_prefix="THREATWATCH_", extra="forbid")

    database_url: str = "sqlite:///threatwatch.db"
    """SQLAlchemy URL; use postgresql+psycopg://user@host/db on servers."""
    spacy_model: str = "en_core_web_sm"
    """Name or path of the spaCy pipeline used for tagging, parsing and NER."""
    gazetteer: Path | None = None
    """Optional JSON lines file of extra actors and aliases, merged with the built-in gazetteer."""
    shared: Path = Path("../shared")
    """Folder with the shared benchmark and list data (MUC-4, sanctions snapshots)."""
    lists_path: Path = Path("lists")
    """Folder where sanctions list snapshots are kept."""
    screen_threshold: float | None = None
    """Score at which a screening candidate becomes a hit; unset, each matching algorithm uses
    the threshold chosen for it on the dev split (docs/screening.md)."""
    log_level: str = "WARNING"
    """Level of log lines on stderr."""


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """Return the settings of this process, read once from the environment."""
    return Settings()
