"""The built-in sample corpus of `make demo`: every file parses with full metadata."""

from __future__ import annotations

from pathlib import Path

import pytest

from threatwatch.ingest import count_inputs, iter_documents
from threatwatch.model import Document

CORPUS = Path(__file__).resolve().parent.parent.parent / "samples" / "corpus"


def test_samples_every_file_parses_with_metadata() -> None:
    files = sorted(path for path in CORPUS.glob("*.md") if path.name != "README.md")
    assert len(files) >= 12
    items = list(iter_documents([str(CORPUS)]))
    assert all(isinstance(item, Document) for item in items), [
        item for item in items if not isinstance(item, Document)
    ]
    docs = [item for item in items if isinstance(item, Document)]
    assert [Path(doc.source).name for doc in docs] == [path.name for path in files]
    assert count_inputs([str(CORPUS)]) == len(files)
    for doc in docs:
        assert doc.publisher and doc.publisher.startswith("Sample, after "), doc.source
        assert doc.published is not None, doc.source
        assert doc.title and doc.url, doc.source
        assert doc.language == "en", doc.source
        assert 150 <= len(doc.text.split()) <= 400, doc.source
        # The file name starts with the publication date it carries.
        assert Path(doc.source).name.startswith(doc.published.isoformat()), doc.source


def test_samples_cover_the_crocus_attack_from_several_publishers() -> None:
    docs = [item for item in iter_documents([str(CORPUS)]) if isinstance(item, Document)]
    crocus = [doc for doc in docs if "Crocus City Hall" in doc.text and doc.published]
    in_window = {
        (doc.publisher, doc.published)
        for doc in crocus
        if doc.published and "2024-03-22" <= doc.published.isoformat() <= "2024-03-24"
    }
    assert len(in_window) >= 3
    assert len({publisher for publisher, _ in in_window}) >= 3


@pytest.mark.shared
def test_samples_seed_article_ingests(shared_dir: Path) -> None:
    seed = shared_dir / "seed"
    if not seed.is_dir():
        pytest.skip(f"no seed folder in {shared_dir}")
    items = list(iter_documents([str(seed)]))
    docs = [item for item in items if isinstance(item, Document)]
    assert docs and len(docs) == len(items), items
    assert all(doc.language == "en" and "ISIS-K" in doc.text for doc in docs)
