"""Tests of name normalisation: scripts, particles, titles, order, organisation forms."""

# Cyrillic look-alike letters are the point of several tests here.
# ruff: noqa: RUF001

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from threatwatch.normalize import (
    clean_text,
    detect_scripts,
    name_tokens,
    normalize_name,
    reorder_name,
    skeleton_token,
    strip_marks,
    transliterate,
)


def skeletons(value: str) -> list[str]:
    return [skeleton_token(t) for t in name_tokens(value)]


def test_transliterate_cyrillic_russian_and_tajik_letters() -> None:
    assert transliterate("Дилшод Раҳмонов") == "dilshod rahmonov"
    assert transliterate("Ғулом Қодирӣ Ҷӯраев") == "ghulom qodiri juraev"
    assert transliterate("Щукин Юрий") == "shchukin yurii"


def test_transliterate_arabic_strips_harakat_and_tatweel() -> None:
    assert transliterate("مُحَمَّد") == transliterate("محمد")
    assert transliterate("مـحـمـد") == transliterate("محمد")


def test_kana_keep_their_voicing_while_latin_accents_go() -> None:
    # NFD splits ゴ into コ + a voicing mark; dropping it would read "go" as "ko".
    assert transliterate("ゴジラ") == "gojira"
    assert transliterate("パンダ") == "panda"
    assert strip_marks("José Müller") == "Jose Muller"


def test_arabic_letter_variants_fold_together() -> None:
    # Arabic kaf/yeh and Persian keheh/farsi yeh; teh marbuta vs heh-ending
    assert transliterate("كريمي") == transliterate("کریمی")
    assert skeletons("فاطمة") == skeletons("فاطمه")
    assert transliterate("أحمد")[0] == transliterate("احمد")[0] == "a"


def test_pashto_and_latin_share_skeletons() -> None:
    assert skeletons("مالک نورزى") == skeletons("MALIK NOORZAI")
    assert skeletons("ثناء اللہ غفاری") == skeletons("SANAULLAH GHAFARI")
    assert skeletons("محمد") == skeletons("Mohammed") == skeletons("Muhammad")


def test_particles_and_patronymics_fold() -> None:
    assert (
        name_tokens("Isa Bin Tarif") == name_tokens("Isa ibn Tarif") == name_tokens("Isa Ben Tarif")
    )
    assert name_tokens("Abu Bakr al-Baghdadi") == name_tokens("Abu Bakr el Baghdadi")
    assert name_tokens("Abd al-Ghani") == name_tokens("Abdul Ghani") == name_tokens("Abdulghani")
    assert name_tokens("Abdurrahman") == name_tokens("Abd ar-Rahman") == name_tokens("Abdul Rahman")
    assert name_tokens("Sana Ullah") == name_tokens("Sanaullah") == name_tokens("Sanaulla")


def test_honorifics_are_dropped_but_never_the_whole_name() -> None:
    assert name_tokens("Mullah Zarif") == name_tokens("Maulawi Zarif") == ("zarif",)
    assert name_tokens("Haji Dr. Zarif") == ("zarif",)
    assert name_tokens("Haji") == ("haji",)


def test_surname_comma_given_order() -> None:
    assert reorder_name("QADIR, Zarif") == "Zarif QADIR"
    assert reorder_name("A, B, C") == "A, B, C"
    assert name_tokens("QADIR, Zarif") == name_tokens("Zarif Qadir")


def test_organisation_forms_are_marked() -> None:
    assert name_tokens("Northwind Logistics Limited") == ("northwind", "logistics", "~ltd")
    assert name_tokens("Northwind Logistics LLC", organisation=True)[-1] == "~llc"
    assert name_tokens("ООО Нордвинд", organisation=True) == ("~llc", "nordvind")


def test_clean_text_removes_control_and_bidi_characters() -> None:
    assert clean_text("Za\x00rif\u202e  Qadir\n") == "Zarif Qadir"


def test_detect_scripts_flags_mixed_scripts() -> None:
    assert detect_scripts("Zarif") == {"latin"}
    assert detect_scripts("Zarif ظریف") == {"latin", "arabic"}
    assert detect_scripts("Мohammed") == {"latin", "cyrillic"}


def test_cyrillic_lookalikes_in_latin_name_are_undone() -> None:
    assert normalize_name("M\u043ehammed") == normalize_name("Mohammed")


NAME_ALPHABET = st.sampled_from(
    list("abcdefghijklmnopqrstuvwxyzABCDEFZ -,.'")
    + list("абвгдежзийклмнопрстуфхцчшщъыьэюяҳӯқғҷӣ")
    + list("ابپتثجچحخدذرزژسشصضطظعغفقکگلمنوهیةىيأإآـًٌٍَُِّ")
    + ["al-", "bin ", "Abd al-", "Mullah ", "Ltd", "ullah", "ud din"]
)


@given(st.lists(NAME_ALPHABET, max_size=30).map("".join))
def test_normalize_name_is_idempotent(value: str) -> None:
    once = normalize_name(value)
    assert normalize_name(once) == once


@given(st.text(max_size=60))
def test_normalize_name_never_raises(value: str) -> None:
    assert isinstance(normalize_name(value), str)
