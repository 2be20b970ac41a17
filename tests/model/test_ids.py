"""Deterministic IDs: the same content always gives the same ID, different content another."""

from __future__ import annotations

import uuid

import pytest
from hypothesis import given
from hypothesis import strategies as st

import threatwatch.extract
import threatwatch.model
import threatwatch.resolve
from threatwatch.model import Document, make_id, stix_id

parts = st.lists(st.one_of(st.text(), st.integers(), st.none()), max_size=5)


@given(st.text(min_size=1, max_size=10), parts)
def test_make_id_is_deterministic(prefix: str, values: list[object]) -> None:
    assert make_id(prefix, *values) == make_id(prefix, *values)
    assert make_id(prefix, *values).startswith(prefix + "-")


@given(parts, parts)
def test_make_id_separates_parts(left: list[object], right: list[object]) -> None:
    if [("" if v is None else str(v)) for v in left] != [
        ("" if v is None else str(v)) for v in right
    ]:
        assert make_id("x", *left) != make_id("x", *right)


def test_make_id_needs_prefix() -> None:
    with pytest.raises(ValueError, match="prefix"):
        make_id("", "a")


@given(st.text())
def test_document_id_is_content_hash(text: str) -> None:
    one = Document(text=text, source="a.txt", publisher="A")
    two = Document(text=text, source="b.txt", publisher="B")
    assert one.id == two.id and one.id.startswith("doc-")


def test_stix_id_is_stable_uuid5() -> None:
    value = stix_id("report", "doc-1")
    kind, _, raw = value.partition("--")
    assert kind == "report" and uuid.UUID(raw).version == 5
    assert value == stix_id("report", "doc-1") != stix_id("report", "doc-2")


@pytest.mark.parametrize("module", [threatwatch.model, threatwatch.extract, threatwatch.resolve])
def test_public_names_are_exported_and_documented(module: object) -> None:
    names = module.__all__  # type: ignore[attr-defined]
    assert len(set(names)) == len(names)
    for name in names:
        value = getattr(module, name)
        if callable(value):
            assert value.__doc__, f"{module.__name__}.{name} has no docstring"  # type: ignore[attr-defined]
