"""Extraction: what the pipeline read from one or more documents; Issue: a skipped record."""

from __future__ import annotations

from dataclasses import dataclass

from threatwatch.model.actor import Actor
from threatwatch.model.document import Document
from threatwatch.model.incident import Incident
from threatwatch.model.statement import Statement


@dataclass(frozen=True, slots=True, kw_only=True)
class Extraction:
    """Incidents, actors and other statements read from `documents`."""

    documents: tuple[Document, ...]
    incidents: tuple[Incident, ...] = ()
    actors: tuple[Actor, ...] = ()
    statements: tuple[Statement, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class Issue:
    """A record that a stage could not use: the run reports it and goes on."""

    stage: str
    """`ingest`, `extract` or `store`."""
    source: str
    """The file, URL or document ID concerned."""
    error: str
    """Exception class name or a short code such as `empty`."""
    message: str
