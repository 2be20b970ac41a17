"""Offline place lookups: countries, subdivisions, cities, demonyms, capitals."""

from __future__ import annotations

from threatwatch.extract.places import fold, get_place_index


def test_lookup_prefers_country_then_province_then_city() -> None:
    places = get_place_index()
    russia = places.lookup("Russia")
    assert russia is not None and (russia.kind, russia.country) == ("country", "RU")
    province = places.lookup("Kandahar province")
    assert province is not None and (province.kind, province.admin1) == ("admin1", "AF-KAN")
    city = places.lookup("Kandahar")
    assert city is not None and (city.kind, city.country) == ("city", "AF")
    assert city.latitude is not None


def test_lookup_news_spellings_and_possessives() -> None:
    places = get_place_index()
    for name in ("the United States", "U.S.", "Afghanistan's"):
        place = places.lookup(name)
        assert place is not None and place.kind == "country"
    assert places.lookup("Nowhereville-on-Nothing") is None


def test_demonyms_and_capitals_map_to_states() -> None:
    places = get_place_index()
    assert places.country_of_demonym("Tajik") == "TJ"
    assert places.country_of_demonym("Tajiks") == "TJ"
    assert places.state_of_capital("Moscow") == "RU"
    assert places.state_of_capital("Kyiv") == "UA"
    assert places.country_name("RU") == "Russia"


def test_fold_is_idempotent_and_strips_accents() -> None:
    assert fold("Kandahār") == "kandahar"
    assert fold(fold("The Moscow's")) == fold("The Moscow's") == "moscow"
