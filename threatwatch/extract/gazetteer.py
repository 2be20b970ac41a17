"""The actor gazetteer: canonical names, kinds and aliases of known groups and organisations.

The built-in list lives in `data/actors.jsonl`; users extend it with a file of the same shape
(`THREATWATCH_GAZETTEER`). Each line: {"name", "kind", "aliases", "case_sensitive"?}.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from pydantic import BaseModel, ConfigDict, ValidationError

from threatwatch.errors import ConfigError
from threatwatch.model import ActorKind, make_id


class _ActorLine(BaseModel):
    """One gazetteer line as written in the file (a trust boundary, so validated strictly)."""

    model_config = ConfigDict(extra="forbid")
    name: str
    kind: ActorKind
    aliases: list[str] = []
    case_sensitive: list[str] = []


@dataclass(frozen=True, slots=True, kw_only=True)
class GazetteerEntry:
    """A known actor: every alias resolves to `name`."""

    name: str
    kind: ActorKind
    aliases: tuple[str, ...]
    case_sensitive: tuple[str, ...] = ()
    """Aliases matched only with this exact capitalisation (short acronyms such as `IS`, `UN`)."""

    @property
    def id(self) -> str:
        """Return the deterministic actor ID."""
        return make_actor_id(self.name)


def make_actor_id(name: str) -> str:
    """Return the ID of the actor with this canonical name."""
    return make_id("actor", name.casefold())


def _strip_article(alias: str) -> str:
    """Drop a leading `the`: the article is matched as an ordinary word, not as the name."""
    return alias[4:] if alias.lower().startswith("the ") else alias


def _read_lines(lines: Iterable[str], origin: str) -> list[GazetteerEntry]:
    entries = []
    for number, line in enumerate(lines, start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        try:
            row = _ActorLine.model_validate(json.loads(line))
        except (json.JSONDecodeError, ValidationError) as exc:
            first = str(exc).splitlines()[0]
            raise ConfigError(
                f"Gazetteer {origin!r} line {number} is not a valid actor: {first}; "
                'each line must be {"name": ..., "kind": ..., "aliases": [...]}'
            ) from exc
        entries.append(
            GazetteerEntry(
                name=row.name,
                kind=row.kind,
                aliases=tuple(
                    dict.fromkeys(
                        alias for a in row.aliases if (alias := _strip_article(a)) != row.name
                    )
                ),
                case_sensitive=tuple(row.case_sensitive),
            )
        )
    return entries


def load_gazetteer(extra: Path | None = None) -> tuple[GazetteerEntry, ...]:
    """Return the built-in gazetteer, merged with the entries of `extra` if given.

    An extra entry with the name of a built-in one adds its aliases to it.

    Raises:
        ConfigError: `extra` is missing or has an invalid line.
    """
    text = resources.files("threatwatch.extract").joinpath("data/actors.jsonl").read_text()
    entries = {e.name.casefold(): e for e in _read_lines(text.splitlines(), "built-in")}
    if extra is not None:
        try:
            lines = extra.read_text(encoding="utf-8").splitlines()
        except OSError as exc:
            raise ConfigError(
                f"Cannot read gazetteer {str(extra)!r}: {exc.strerror}; check THREATWATCH_GAZETTEER"
            ) from exc
        for entry in _read_lines(lines, str(extra)):
            known = entries.get(entry.name.casefold())
            if known is not None:
                entry = GazetteerEntry(
                    name=known.name,
                    kind=known.kind,
                    aliases=tuple(dict.fromkeys(known.aliases + entry.aliases)),
                    case_sensitive=known.case_sensitive + entry.case_sensitive,
                )
            entries[entry.name.casefold()] = entry
    return tuple(entries.values())
