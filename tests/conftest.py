"""Shared fixtures. Which to use when:

- `shared_dir`: the folder of shared benchmark and list data; tests that need it skip when absent.
- `tmp_db_url`: a fresh SQLite database URL in a temporary folder, for store and CLI tests.
- `extractor`: the real pipeline (statistical spaCy model + rules), loaded once per session;
  only for tests marked `model`. Unit tests use `spacy.blank("en")` instead.
- `reports_dir`: the hand-written fictional reports under tests/fixtures/reports.
- `muc4_fixture_dir`, `ofac_dir`: fictional MUC-4 and OFAC files laid out under the real data
  sets' folder and file names, built in a temporary folder (the repository stores them under other
  names, so nothing in it looks like a copy of the shared data).
Test modules keep fixtures only they use to themselves.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from threatwatch.extract import Extractor

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """Return THREATWATCH_SHARED (default ../shared), skipping the test when it is absent."""
    path = Path(os.environ.get("THREATWATCH_SHARED", REPO.parent / "shared"))
    if not (path / "data").is_dir():
        pytest.skip(f"shared data not found at {path}; set THREATWATCH_SHARED to run this test")
    return path


@pytest.fixture
def tmp_db_url(tmp_path: Path) -> str:
    """Return the URL of an empty SQLite database in a temporary folder."""
    return f"sqlite:///{tmp_path / 'test.db'}"


@pytest.fixture(scope="session")
def extractor() -> Extractor:
    """Return the default extractor (loads the statistical model once per session)."""
    return Extractor()


@pytest.fixture(scope="session")
def reports_dir() -> Path:
    """Return the folder of hand-written fixture reports."""
    return REPO / "tests" / "fixtures" / "reports"


@pytest.fixture(scope="session")
def muc4_fixture_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Return a fictional MUC-4 folder in the shared data's layout (raw corpus in raw_muc34/)."""
    target = tmp_path_factory.mktemp("muc4")
    shutil.copytree(REPO / "tests" / "fixtures" / "eval" / "muc4", target, dirs_exist_ok=True)
    (target / "raw").rename(target / "raw_muc34")
    return target


@pytest.fixture(scope="session")
def ofac_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Return a folder holding the fictional OFAC CSV set under the official file names."""
    target = tmp_path_factory.mktemp("ofac")
    for path in (REPO / "tests" / "fixtures" / "screen" / "ofac").glob("*.fixture.csv"):
        shutil.copy(path, target / path.name.replace(".fixture", ""))
    return target
