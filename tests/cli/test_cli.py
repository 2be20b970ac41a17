"""The command line: help everywhere, the extract contract, the main job, one-line errors."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path

import click
import jsonschema
import pytest
from click.testing import CliRunner

from threatwatch.cli import main
from threatwatch.model import (
    ActorKind,
    AttributionStatus,
    DatePrecision,
    IncidentType,
    RelationKind,
    Stage,
)

SCHEMA = Path(__file__).parents[2] / "schema" / "extract.schema.json"


def _commands(group: click.Group, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    found = []
    for name, command in group.commands.items():
        found.append((*prefix, name))
        if isinstance(command, click.Group):
            found += _commands(command, (*prefix, name))
    return found


@pytest.mark.parametrize(
    ("definition", "field", "vocabulary"),
    [
        ("incident", "type", IncidentType),
        ("incident", "stage", Stage),
        ("attribution", "status", AttributionStatus),
        ("date", "precision", DatePrecision),
        ("actor", "kind", ActorKind),
        ("relation", "kind", RelationKind),
    ],
)
def test_schema_vocabularies_are_the_models(
    definition: str, field: str, vocabulary: type[StrEnum]
) -> None:
    # A value added to the model (a new incident type) must reach the published contract.
    schema = json.loads(SCHEMA.read_text())
    enum = schema["$defs"][definition]["properties"][field]["enum"]
    assert enum == [member.value for member in vocabulary]


@pytest.mark.parametrize("path", _commands(main))
def test_cli_every_command_has_help(path: tuple[str, ...]) -> None:
    result = CliRunner().invoke(main, [*path, "--help"])
    assert result.exit_code == 0, result.output
    command: click.Command = main
    for name in path:
        assert isinstance(command, click.Group)
        command = command.commands[name]
    assert command.help and len(command.help.strip()) > 20


def test_cli_main_commands_are_registered() -> None:
    assert {"ingest", "extract", "incidents", "actors", "actor", "brief"} <= set(main.commands)


def test_cli_bad_date_is_one_line_error(tmp_path: Path) -> None:
    report = tmp_path / "r.txt"
    report.write_text("Nothing happened.")
    result = CliRunner().invoke(main, ["extract", str(report), "--published", "26/03/2024x"])
    assert result.exit_code == 1
    assert "--published '26/03/2024x' is not a date" in result.output
    assert "Traceback" not in result.output


def test_cli_brief_needs_one_subject(tmp_db_url: str) -> None:
    result = CliRunner().invoke(main, ["brief", "--database-url", tmp_db_url])
    assert result.exit_code == 1
    assert "exactly one of --actor or --country" in result.output


@pytest.mark.model
def test_cli_extract_json_follows_the_contract(reports_dir: Path) -> None:
    result = CliRunner().invoke(main, ["extract", str(reports_dir), "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    jsonschema.Draft202012Validator(json.loads(SCHEMA.read_text())).validate(data)
    assert len(data["documents"]) == 3
    assert {i["location"]["place"] for i in data["incidents"]} >= {"Quetta", "Lyon"}


@pytest.mark.model
def test_cli_extract_strict_exits_on_skipped_input(reports_dir: Path, tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    args = ["extract", str(reports_dir / "03-lyon-plot.md"), str(empty)]
    relaxed = CliRunner().invoke(main, args)
    assert relaxed.exit_code == 0
    assert "empty.txt" in relaxed.stderr
    strict = CliRunner().invoke(main, [*args, "--strict"])
    assert strict.exit_code == 1


@pytest.mark.model
def test_cli_main_job_ingest_query_and_brief(
    reports_dir: Path, tmp_db_url: str, tmp_path: Path
) -> None:
    db = ["--database-url", tmp_db_url]
    runner = CliRunner()
    ingest = runner.invoke(main, ["ingest", str(reports_dir), *db])
    assert ingest.exit_code == 0, ingest.output
    assert "documents read: 3, stored: 3" in ingest.stderr
    listed = runner.invoke(main, ["incidents", "--country", "Pakistan", "--format", "json", *db])
    incidents = json.loads(listed.stdout)
    assert len(incidents) == 1 and len(incidents[0]["document_ids"]) == 2
    csv_out = runner.invoke(main, ["incidents", "--stage", "foiled", "--format", "csv", *db])
    rows = csv_out.stdout.strip().splitlines()
    assert rows[0].startswith("id,date,type,stage") and len(rows) == 2 and "Lyon" in rows[1]
    actor = runner.invoke(main, ["actor", "TTP", *db])
    assert actor.exit_code == 0
    assert actor.stdout.startswith("Tehrik-i-Taliban Pakistan (armed_group)")
    missing = runner.invoke(main, ["actor", "Nobody Front", *db])
    assert missing.exit_code == 1 and "threatwatch actors" in missing.output
    out = tmp_path / "brief.html"
    brief = runner.invoke(main, ["brief", "--actor", "Pakistani Taliban", "--out", str(out), *db])
    assert brief.exit_code == 0, brief.output
    html = out.read_text()
    assert "Tehrik-i-Taliban Pakistan" in html and "Quetta" in html
    assert "<script" not in html.lower()
    country = runner.invoke(main, ["brief", "--country", "Pakistan", *db])
    assert country.exit_code == 0, country.output
    assert "Threat brief: Pakistan" in country.stdout and "Quetta" in country.stdout
    unknown = runner.invoke(main, ["brief", "--country", "Atlantis", *db])
    assert unknown.exit_code == 1 and "Unknown country 'Atlantis'" in unknown.output
