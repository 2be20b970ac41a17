"""The main job end to end: files in, one transaction per document, resolution, summary."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest

from threatwatch.pipeline import ExtractOptions, extract_paths, run_ingest
from threatwatch.store import Store

pytestmark = pytest.mark.model

NOW = datetime(2031, 6, 3, tzinfo=UTC)


def test_run_ingest_merges_reports_and_is_idempotent(reports_dir: Path, tmp_db_url: str) -> None:
    with Store(tmp_db_url) as store:
        first = run_ingest([str(reports_dir)], store, seen_at=NOW)
        assert (first.documents_read, first.documents_stored, first.issues) == (3, 3, ())
        incidents = store.view().iter_incidents(country="PK")
        assert len(incidents) == 1, [i.document_ids for i in incidents]
        quetta = incidents[0]
        assert len(quetta.document_ids) == 2
        statuses = {(a.actor, a.status) for a in quetta.attributions}
        assert ("Tehrik-i-Taliban Pakistan", "claimed") in statuses
        killed = [c for c in quetta.casualties if c.kind == "killed"]
        assert {(c.min, c.max) for c in killed} >= {(12, None), (15, 15)}
        counts = store.view().counts()
        again = run_ingest([str(reports_dir)], store, seen_at=NOW)
        assert (again.documents_known, again.documents_stored) == (3, 0)
        assert store.view().counts() == counts


def test_run_ingest_skips_bad_files_and_goes_on(
    reports_dir: Path, tmp_path: Path, tmp_db_url: str
) -> None:
    folder = tmp_path / "mixed"
    shutil.copytree(reports_dir, folder)
    (folder / "empty.txt").write_text("")
    (folder / "binary.txt").write_bytes(b"\x00\x01\x02" * 100)
    (folder / "broken.json").write_text('{"text": ')
    with Store(tmp_db_url) as store:
        summary = run_ingest([str(folder)], store, seen_at=NOW)
    assert summary.documents_stored == 3
    failed = {Path(i.source).name for i in summary.errors}
    assert failed == {"empty.txt", "binary.txt", "broken.json"}
    assert all(i.message for i in summary.errors)


def test_extract_paths_without_database(reports_dir: Path) -> None:
    extractions, issues = extract_paths(
        [str(reports_dir / "03-lyon-plot.md")], options=ExtractOptions()
    )
    assert issues == []
    [extraction] = extractions
    [plot] = extraction.incidents
    assert (plot.type, plot.stage, plot.location.place) == ("plot", "foiled", "Lyon")
    assert {(s.count, s.nationality) for s in plot.suspects} == {(2, "UZ")}


def test_extract_with_two_workers_matches_one(reports_dir: Path) -> None:
    one, _ = extract_paths([str(reports_dir)], options=ExtractOptions(workers=1))
    two, _ = extract_paths([str(reports_dir)], options=ExtractOptions(workers=2, batch_size=1))
    assert [e.incidents for e in one] == [e.incidents for e in two]
