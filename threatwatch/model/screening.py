"""Screening vocabulary: list entries, their names, screening queries and scored hits."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class NameKind(StrEnum):
    """How a list holds a name: the entry's own name, an alias, or a name in its own script."""

    PRIMARY = "primary"
    AKA = "aka"
    FKA = "fka"
    LOW_QUALITY = "low_quality"
    """UN `QUALITY=Low` aliases and OFAC's weak a.k.a. in Remarks: short or common fragments."""
    ORIGINAL_SCRIPT = "original_script"
    """The name as written in its own script (UN NAME_ORIGINAL_SCRIPT, FtM non-Latin names)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class ListName:
    """One name of a list entry and the kind of name it is."""

    value: str
    kind: NameKind


@dataclass(frozen=True, slots=True, kw_only=True)
class ListEntry:
    """One designated person, organisation, vessel or aircraft on a sanctions list."""

    list: str
    """List name, e.g. `un_sc`, `us_ofac_sdn`, `threatwatch`, or `ftm:<dataset>`."""
    ref: str
    """The list's own reference: UN reference number (QDe.161), OFAC ent_num, FtM id."""
    schema: str
    """FtM schema name: Person, Organization, LegalEntity, Vessel or Airplane."""
    names: tuple[ListName, ...]
    programmes: tuple[str, ...] = ()
    birth_dates: tuple[str, ...] = ()
    """ISO dates or partial dates (`1971`, `1971-05`), as the list gives them."""
    birth_places: tuple[str, ...] = ()
    nationalities: tuple[str, ...] = ()
    listed_on: str | None = None

    @property
    def key(self) -> str:
        """Return `list:ref`, unique across lists."""
        return f"{self.list}:{self.ref}"

    @property
    def caption(self) -> str:
        """Return the primary name (or the first name when the list gives none)."""
        for name in self.names:
            if name.kind is NameKind.PRIMARY:
                return name.value
        return self.names[0].value if self.names else self.ref


@dataclass(frozen=True, slots=True, kw_only=True)
class ScreeningQuery:
    """A name to screen, with the optional identifiers that may adjust a name match."""

    name: str
    birth_date: str | None = None
    nationality: str | None = None
    """Only ever adjusts the score of a name match; it never makes a hit on its own."""
    schema: str | None = None
    """FtM schema of what the name names (Person, Organization...). When set, v2 and later never
    match an entry of another kind (`threatwatch.screen.index.schema_kind`)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class FeatureScore:
    """One feature of a score: its value, its effect on the total, and a readable reason."""

    name: str
    value: float
    detail: str


@dataclass(frozen=True, slots=True, kw_only=True)
class ScreeningHit:
    """A list entry matched by a query, with the score and how it was reached."""

    list: str
    ref: str
    name: str
    """The entry's name that matched best."""
    name_kind: NameKind
    caption: str
    """The entry's primary name."""
    score: float
    algorithm: str
    """Versioned name of the algorithm, e.g. `threatwatch.screen.v1`."""
    explanation: tuple[FeatureScore, ...] = ()

    def to_dict(self) -> dict[str, object]:
        """Return the JSON form: list, ref, name, score and a feature-by-feature explanation."""
        return {
            "list": self.list,
            "ref": self.ref,
            "name": self.name,
            "name_kind": str(self.name_kind),
            "caption": self.caption,
            "score": round(self.score, 4),
            "algorithm": self.algorithm,
            "explanation": {
                f.name: {"value": round(f.value, 4), "detail": f.detail} for f in self.explanation
            },
        }
