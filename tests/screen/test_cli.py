"""Tests of `threatwatch screen` and `threatwatch lists`, including a real local HTTP download."""

from __future__ import annotations

import csv
import functools
import json
import shutil
import threading
from collections.abc import Iterator
from datetime import date
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner

from threatwatch.cli import main
from threatwatch.errors import InputError, NotFoundError, SourceError
from threatwatch.ingest.lists_download import download_files
from threatwatch.screen.snapshots import latest_snapshots, list_snapshots, store_snapshot
from threatwatch.settings import get_settings

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "screen"


@pytest.fixture
def lists_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Point THREATWATCH_LISTS_PATH at a fresh folder for the CLI (settings are read once)."""
    root = tmp_path / "lists"
    monkeypatch.setenv("THREATWATCH_LISTS_PATH", str(root))
    get_settings.cache_clear()
    yield root
    get_settings.cache_clear()


@pytest.fixture
def server(tmp_path: Path, ofac_dir: Path) -> Iterator[str]:
    """Serve the fixture folder (OFAC files under their official names) on 127.0.0.1."""
    served = tmp_path / "served"
    shutil.copytree(FIXTURES, served)
    shutil.rmtree(served / "ofac")
    shutil.copytree(ofac_dir, served / "ofac")
    handler = functools.partial(SimpleHTTPRequestHandler, directory=str(served))
    handler.log_message = lambda *args: None  # type: ignore[attr-defined]  # keep stderr clean
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()
    thread.join()


def test_screen_json_against_given_lists() -> None:
    result = CliRunner().invoke(
        main,
        ["screen", "Zareef Qadeer", "--lists", str(FIXTURES / "un_mini.xml"), "--format", "json"],
    )
    assert result.exit_code == 0, result.output
    hits = json.loads(result.stdout)
    assert hits[0]["ref"] == "TAi.901"
    assert {"list", "ref", "name", "score", "explanation"} <= set(hits[0])


def test_screen_table_and_threshold(ofac_dir: Path) -> None:
    args = ["screen", "Zarif Qadir", "--lists", str(ofac_dir)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    assert "9001" in result.output
    strict = CliRunner().invoke(main, [*args, "--threshold", "1.0", "--dob", "1950"])
    assert "No hits." in strict.output


@pytest.mark.parametrize("bad", ["", "x" * 10_000, "\x00"])
def test_screen_bad_name_is_one_line_error(bad: str) -> None:
    result = CliRunner().invoke(main, ["screen", bad, "--lists", str(FIXTURES / "un_mini.xml")])
    assert result.exit_code == 1
    assert "Error: Name" in result.output
    assert "Traceback" not in result.output


def test_screen_malformed_list_is_one_line_error() -> None:
    result = CliRunner().invoke(main, ["screen", "x", "--lists", str(FIXTURES / "un_broken.xml")])
    assert result.exit_code == 1
    assert "un_broken.xml" in result.output


def test_screen_without_snapshots_says_what_to_do(lists_path: Path) -> None:
    result = CliRunner().invoke(main, ["screen", "Zarif"])
    assert result.exit_code == 1
    assert "lists load" in result.output


def test_screen_algorithm_option_picks_the_version(tmp_path: Path) -> None:
    lists = ["--lists", str(FIXTURES / "un_mini.xml")]
    single = ["screen", "Zareef Qadeer", *lists, "--format", "json"]
    default = json.loads(CliRunner().invoke(main, single).stdout)
    older = json.loads(
        CliRunner().invoke(main, [*single, "--algorithm", "threatwatch.screen.v4"]).stdout
    )
    assert {h["algorithm"] for h in default} == {"threatwatch.screen.v7"}
    assert {h["algorithm"] for h in older} == {"threatwatch.screen.v4"}
    # a batch of Latin names: v5 only differs from v4 across scripts, so the rows are the same
    outputs = []
    for algorithm in ("threatwatch.screen.v5", "threatwatch.screen.v4"):
        out = tmp_path / f"{algorithm}.csv"
        args = ["screen", "--file", str(FIXTURES / "people.csv"), "--out", str(out), *lists]
        result = CliRunner().invoke(main, [*args, "--algorithm", algorithm, "--threshold", "0.5"])
        assert result.exit_code == 0, result.output
        outputs.append(out.read_text(encoding="utf-8"))
    assert outputs[0] == outputs[1] and "hit" in outputs[0]
    wrong = CliRunner().invoke(main, [*single, "--algorithm", "threatwatch.screen.v1"])
    assert wrong.exit_code == 2 and "threatwatch.screen.v7" in wrong.output


def test_screen_batch_file_goes_on_after_bad_rows(tmp_path: Path) -> None:
    people = tmp_path / "people.csv"
    people.write_text(
        (FIXTURES / "people.csv").read_text() + "x" * 10_000 + ",,\n", encoding="utf-8"
    )
    out = tmp_path / "hits.csv"
    result = CliRunner().invoke(
        main,
        [
            "screen",
            "--file",
            str(people),
            "--out",
            str(out),
            "--lists",
            str(FIXTURES / "un_mini.xml"),
        ],
    )
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(out.read_text(encoding="utf-8").splitlines()))
    status = {}
    for row in rows:
        status.setdefault(row["line"], set()).add(row["status"])
    assert status["2"] == {"hit"}  # Zarif Qadir
    assert status["3"] == {"error"}  # empty name
    assert status["4"] == {"no_hit"}  # Alice Fictional
    assert status["5"] == {"hit"}  # Dilshod Rahmonov
    assert status["6"] == {"hit"}  # control character inside the name
    assert status["7"] == {"error"}  # 10,000 characters
    assert "2 rows with errors" in result.output


def test_lists_load_show_and_screen_from_snapshot(ofac_dir: Path, lists_path: Path) -> None:
    runner = CliRunner()
    loaded = runner.invoke(main, ["lists", "load", str(FIXTURES / "un_mini.xml"), str(ofac_dir)])
    assert loaded.exit_code == 0, loaded.output
    shown = runner.invoke(main, ["lists", "show"])
    assert "un_sc" in shown.output and "us_ofac_sdn" in shown.output
    assert "generated 2030-01-15" in shown.output
    result = runner.invoke(main, ["screen", "Dilshod Rakhmonov", "--format", "json"])
    assert {h["list"] for h in json.loads(result.stdout)} == {"un_sc", "us_ofac_sdn"}


def test_lists_load_refuses_malformed_file(lists_path: Path) -> None:
    result = CliRunner().invoke(main, ["lists", "load", str(FIXTURES / "not_un.xml")])
    assert result.exit_code == 1
    assert list_snapshots(lists_path) == []


def test_snapshots_are_dated_and_newest_wins(tmp_path: Path) -> None:
    store_snapshot(tmp_path, FIXTURES / "un_mini.xml", date(2030, 1, 1))
    store_snapshot(tmp_path, FIXTURES / "un_mini.xml", date(2030, 2, 1))
    assert [s.taken_on for s in list_snapshots(tmp_path)] == ["2030-01-01", "2030-02-01"]
    (newest,) = latest_snapshots(tmp_path)
    assert newest.taken_on == "2030-02-01"
    assert newest.entries == 3
    with pytest.raises(NotFoundError):
        latest_snapshots(tmp_path / "empty")
    with pytest.raises(InputError):
        store_snapshot(tmp_path, FIXTURES / "un_broken.xml", date(2030, 3, 1))


def test_download_files_from_local_server(server: str) -> None:
    with httpx.Client() as client:
        files = download_files(client, {"sdn.csv": f"{server}/ofac/sdn.csv"})
        assert files["sdn.csv"].endswith(b"\x1a")
        with pytest.raises(SourceError, match="HTTP 404"):
            download_files(client, {"sdn.csv": f"{server}/missing.csv"})
        with pytest.raises(SourceError, match="Cannot download"):
            download_files(client, {"x.xml": "http://127.0.0.1:9/none.xml"})


def test_lists_update_downloads_validates_and_stores(server: str, lists_path: Path) -> None:
    args = ["lists", "update", "--url", f"UN_consolidated.xml={server}/un_mini.xml"]
    for name in ("sdn.csv", "alt.csv", "add.csv", "sdn_comments.csv"):
        args += ["--url", f"{name}={server}/ofac/{name}"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    assert {s.list for s in latest_snapshots(lists_path)} == {"un_sc", "us_ofac_sdn"}
    ofac = next(s for s in latest_snapshots(lists_path) if s.list == "us_ofac_sdn")
    assert set(ofac.files) == {"sdn.csv", "alt.csv", "add.csv", "sdn_comments.csv"}


def test_lists_update_keeps_old_snapshot_when_download_is_invalid(
    server: str, lists_path: Path
) -> None:
    store_snapshot(lists_path, FIXTURES / "un_mini.xml", date(2030, 1, 1))
    result = CliRunner().invoke(
        main,
        [
            "lists",
            "update",
            "--only",
            "un_sc",
            "--url",
            f"UN_consolidated.xml={server}/un_broken.xml",
        ],
    )
    assert result.exit_code == 1
    assert "not updated: un_sc" in result.output
    assert [s.taken_on for s in list_snapshots(lists_path)] == ["2030-01-01"]


def test_commands_have_help() -> None:
    for command in (
        ["screen"],
        ["lists"],
        ["lists", "load"],
        ["lists", "update"],
        ["lists", "show"],
    ):
        result = CliRunner().invoke(main, [*command, "--help"])
        assert result.exit_code == 0
        assert len(result.output.splitlines()) > 3


def test_screen_batch_with_two_workers_matches_one(tmp_path: Path) -> None:
    lines = (FIXTURES / "people.csv").read_text(encoding="utf-8").splitlines()
    people = tmp_path / "people.csv"
    # more rows than one chunk, so that both workers get some, bad rows included
    people.write_text("\n".join([lines[0], *(lines[1:] * 90)]) + "\n", encoding="utf-8")
    outputs = []
    for workers in ("1", "2"):
        out = tmp_path / f"hits{workers}.csv"
        args = ["screen", "--file", str(people), "--out", str(out), "--workers", workers]
        args += ["--lists", str(FIXTURES / "un_mini.xml")]
        result = CliRunner().invoke(main, args)
        assert result.exit_code == 0, result.output
        outputs.append(out.read_text(encoding="utf-8"))
    assert outputs[0] == outputs[1]
    rows = list(csv.DictReader(outputs[1].splitlines()))
    assert len({r["line"] for r in rows}) == (len(lines) - 1) * 90
    assert [int(r["line"]) for r in rows] == sorted(int(r["line"]) for r in rows)


def test_screen_schema_keeps_a_person_off_companies(ofac_dir: Path) -> None:
    base = ["screen", "Crimson Dune Trading", "--lists", str(ofac_dir), "--format", "json"]
    anything = CliRunner().invoke(main, base)
    assert anything.exit_code == 0, anything.output
    assert [h["ref"] for h in json.loads(anything.stdout)] == ["9002"]
    as_person = CliRunner().invoke(main, [*base, "--schema", "person"])
    assert as_person.exit_code == 0, as_person.output
    assert json.loads(as_person.stdout) == []
    as_firm = CliRunner().invoke(main, [*base, "--schema", "Company"])
    assert [h["ref"] for h in json.loads(as_firm.stdout)] == ["9002"]


def test_screen_builds_the_index_the_algorithm_reads() -> None:
    lists = ["--lists", str(FIXTURES / "un_mini.xml")]
    single = ["screen", "Monsieur Zareef Qadeer", *lists, "--format", "json", "--threshold", "0"]
    scores = {}
    for algorithm in ("threatwatch.screen.v7", "threatwatch.screen.v6"):
        result = CliRunner().invoke(main, [*single, "--algorithm", algorithm])
        assert result.exit_code == 0, result.output
        scores[algorithm] = json.loads(result.stdout)[0]["score"]
    plain = json.loads(
        CliRunner().invoke(main, ["screen", "Zareef Qadeer", *lists, "--format", "json"]).stdout
    )
    # v7 reads Monsieur as a title, so the query scores as the plain name; v6 reads a name part
    assert scores["threatwatch.screen.v7"] == plain[0]["score"]
    assert scores["threatwatch.screen.v6"] < scores["threatwatch.screen.v7"]
