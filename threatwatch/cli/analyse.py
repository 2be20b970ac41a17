"""`threatwatch incidents`, `actors`, `actor` and `brief`: questions over the stored picture."""

from __future__ import annotations

import csv
import json
import sys
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.markdown import Markdown
from rich.table import Table

from threatwatch.analyse import (
    make_brief,
    make_casualty_ranges,
    make_country_brief,
    render_html,
    render_markdown,
    to_casualty_label,
    to_country_name,
)
from threatwatch.cli import main
from threatwatch.cli.documents import parse_date_option
from threatwatch.errors import InputError
from threatwatch.model import Actor, Incident
from threatwatch.settings import get_settings
from threatwatch.store import Store, View, to_country_code

_DB = click.option(
    "--database-url", default=None, help="Database (default: THREATWATCH_DATABASE_URL)."
)
_FORMAT = click.option(
    "--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table",
    show_default=True, help="Output format.",
)  # fmt: skip


_COLUMNS = ("date", "type", "stage", "place", "attributions", "casualties", "sources")


def open_view(database_url: str | None) -> tuple[Store, View]:
    """Open the store read-only (no migration) and return it with its view."""
    store = Store(database_url or get_settings().database_url, migrate=False)
    return store, store.view()


def describe_place(incident: Incident) -> str:
    """Return `place, admin1, country` for a table cell."""
    loc = incident.location
    country = to_country_name(loc.country) if loc.country else None
    return ", ".join(p for p in (loc.place, loc.admin1, country) if p) or "unknown"


def describe_attributions(incident: Incident) -> str:
    """Return `actor status (by X)` once per distinct attribution, with `xN` for N sentences."""
    counts = Counter((a.actor, str(a.status), a.asserted_by) for a in incident.attributions)
    return "; ".join(
        f"{actor} {status} (by {by})" + (f" x{n}" if n > 1 else "")
        for (actor, status, by), n in counts.items()
    )


def describe_casualties(incident: Incident) -> str:
    """Return the range of each casualty kind across sources, e.g. `133-139 killed`."""
    return ", ".join(to_casualty_label(r) for r in make_casualty_ranges(incident.casualties))


def incident_row(incident: Incident) -> dict[str, Any]:
    """Return the flat row of an incident, for tables and CSV."""
    return {
        "id": incident.id,
        "date": incident.date.value or "unresolved",
        "type": str(incident.type),
        "stage": str(incident.stage),
        "place": describe_place(incident),
        "attributions": describe_attributions(incident),
        "casualties": describe_casualties(incident),
        "sources": len(incident.document_ids),
    }


@main.command("incidents")
@click.option("--actor", default=None, help="Only incidents attributed to this actor or alias.")
@click.option("--country", default=None, help="Only incidents in this country (name or ISO code).")
@click.option("--since", default=None, help="Only incidents on or after this date (YYYY-MM-DD).")
@click.option("--stage", default=None, help="Only incidents at this stage (e.g. foiled).")
@_FORMAT
@_DB
def incidents_cli(
    actor: str | None,
    country: str | None,
    since: str | None,
    stage: str | None,
    fmt: str,
    database_url: str | None,
) -> None:
    """List stored incidents, one per event (reports of one event are merged)."""
    when = parse_date_option(since, "--since")
    store, view = open_view(database_url)
    with store:
        incidents = view.iter_incidents(actor=actor, country=country, since=when, stage=stage)
    rows = [incident_row(i) for i in incidents]
    if fmt == "json":
        json.dump([i.to_dict() for i in incidents], sys.stdout, ensure_ascii=False, indent=2)
        click.echo()
    elif fmt == "csv":
        writer = csv.DictWriter(sys.stdout, fieldnames=["id", *_COLUMNS])
        writer.writeheader()
        writer.writerows(rows)
    else:
        table = Table(title=f"{len(rows)} incidents")
        for column in _COLUMNS:
            table.add_column(column)
        for row in rows:
            table.add_row(*(str(row[c]) for c in _COLUMNS))
        Console().print(table)


@main.command("actors")
@_FORMAT
@_DB
def actors_cli(fmt: str, database_url: str | None) -> None:
    """List known actors with their kind, aliases and number of mentions."""
    store, view = open_view(database_url)
    with store:
        actors = view.iter_actors()
    if fmt == "json":
        json.dump([a.to_dict() for a in actors], sys.stdout, ensure_ascii=False, indent=2)
        click.echo()
        return
    rows: list[dict[str, str]] = [
        {
            "name": a.name,
            "kind": str(a.kind),
            "aliases": ", ".join(a.aliases),
            "mentions": str(len(a.mentions)),
        }
        for a in sorted(actors, key=lambda a: -len(a.mentions))
    ]
    if fmt == "csv":
        writer = csv.DictWriter(sys.stdout, fieldnames=["name", "kind", "aliases", "mentions"])
        writer.writeheader()
        writer.writerows(rows)
        return
    table = Table(title=f"{len(rows)} actors")
    for column in ("name", "kind", "aliases", "mentions"):
        table.add_column(column)
    for row in rows:
        table.add_row(row["name"], row["kind"], row["aliases"], row["mentions"])
    Console().print(table)


@main.command("actor")
@click.argument("name")
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@_DB
def actor_cli(name: str, fmt: str, database_url: str | None) -> None:
    """Show one actor's profile: aliases, relations, incidents and claims, with citations."""
    store, view = open_view(database_url)
    with store:
        actor = view.get_actor(name)
        incidents = view.iter_incidents(actor=actor.name)
    if fmt == "json":
        out = actor.to_dict() | {"incidents": [i.to_dict() for i in incidents]}
        json.dump(out, sys.stdout, ensure_ascii=False, indent=2)
        click.echo()
        return
    click.echo(format_actor(actor, incidents))


def format_actor(actor: Actor, incidents: list[Incident]) -> str:
    """Return a plain-text profile with a citation sentence under each fact."""
    lines = [f"{actor.name} ({actor.kind})"]
    if actor.aliases:
        lines.append("aliases: " + ", ".join(actor.aliases))
    for attribute in actor.attributes:
        lines.append(f"{attribute.name}: {attribute.value}")
        if attribute.evidence:
            lines.append(f'    "{attribute.evidence.sentence}"')
    for relation in dict.fromkeys((r.kind, r.target) for r in actor.relations):
        lines.append(f"{relation[0]}: {relation[1]}")
    lines.append(f"incidents: {len(incidents)}")
    for incident in incidents:
        row = incident_row(incident)
        lines.append(f"- {row['date']} {row['type']} ({row['stage']}) in {row['place']}")
        for a in incident.attributions:
            lines.append(f'    {a.actor} {a.status} by {a.asserted_by}: "{a.evidence.sentence}"')
    return "\n".join(lines)


@main.command("brief")
@click.option("--actor", default=None, help="Actor the brief is about (name or alias).")
@click.option("--country", default=None, help="Country the brief is about (name or ISO code).")
@click.option(
    "--out", type=click.Path(dir_okay=False, path_type=Path), default=None,
    help="Write to this file: .html (self-contained) or .md; default prints to the terminal.",
)  # fmt: skip
@_DB
def brief_cli(
    actor: str | None, country: str | None, out: Path | None, database_url: str | None
) -> None:
    """Write a threat brief on an actor or a country: profile, timeline, incidents, citations."""
    if (actor is None) == (country is None):
        raise InputError("Give exactly one of --actor or --country, e.g. --actor ISIS-K")
    store, view = open_view(database_url)
    with store:
        actors = view.iter_actors()
        incidents = view.iter_incidents()
        statements = view.iter_statements()
        documents = {d.id: d for d in view.iter_documents()}
        now = datetime.now(UTC)
        if actor is not None:
            subject = view.get_actor(actor)
            brief = make_brief(
                subject=subject, incidents=incidents, actors=actors, statements=statements,
                documents=documents, generated_at=now,
            )  # fmt: skip
        else:
            assert country is not None
            brief = make_country_brief(
                to_country_code(country), incidents=incidents, actors=actors, statements=statements,
                documents=documents, generated_at=now,
            )  # fmt: skip
    if out is None:
        Console().print(Markdown(render_markdown(brief)))
        return
    text = render_html(brief) if out.suffix.lower() in {".html", ".htm"} else render_markdown(brief)
    out.write_text(text, encoding="utf-8")
    click.echo(f"wrote {out}", err=True)
