"""Organisation legal forms folded to canonical tokens, for `threatwatch.screen.v3` and later.

v3 also reads digits written for look-alike letters inside a word (Ig0r Sech1n) as those letters.
v7 further reads the words of a name that other spellings leave out or write otherwise
(`read_words`): titles of address (Monsieur, Herr), numbers written as words (Three
Percenters, Brigade Forty 4), and legal-form words misspelt or cut short (Joynt Stock Company,
Joint Stock Compan).

v1 and v2 keep the shared normalisation of `threatwatch.normalize` unchanged. v3 first rewrites
the long, dotted and multi-word spellings of legal forms (Aktiengesellschaft, S.A. de C.V.,
Public Joint Stock Company, Gesellschaft mit beschränkter Haftung) to one short form, then lets
`name_tokens` mark every short form (`~ag`, `~jsc`) so that alignment weighs it near zero.
"""

from __future__ import annotations

import re
from functools import lru_cache

from rapidfuzz.distance import Levenshtein

from threatwatch.normalize import ORG_FORMS, clean_text, name_tokens, transliterate

LEGAL_FORMS_V3: dict[str, str] = {
    **ORG_FORMS,
    "aktiengesellschaft": "ag",
    "ooo": "llc",
    "oao": "jsc",
    "zao": "jsc",
    "pao": "jsc",
    "ojsc": "jsc",
    "cjsc": "jsc",
    "pjsc": "jsc",
    "sae": "sa",
    "sac": "sa",
    "saic": "sa",
    "ltee": "ltd",
    "pty": "pty",
    "sro": "sro",
}
"""Every legal form v3 knows, by its canonical short form."""

_PHRASES_V3: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), form)
    for pattern, form in (
        # the longest phrases first, so "public joint stock company" is not left with "public"
        (r"\bobshchestvo s ogranichennoi? otvetstvennost\w*", "llc"),
        (r"\b(?:otkrytoe|zakrytoe|publichnoe)?\s*aktsionernoe obshchestvo\b", "jsc"),
        (r"\b(?:public|closed|open)\s+joint[\s-]+stock\s+company\b", "jsc"),
        (r"\bjoint[\s-]+stock\s+company\b", "jsc"),
        (r"\blimited\s+liability\s+(?:company|partnership)\b", "llc"),
        (r"\bgesellschaft\s+mit\s+beschrankter\s+haftung\b", "gmbh"),
        (r"\bg\.?\s?m\.?\s?b\.?\s?h\b\.?", "gmbh"),
        (r"\bs\.?\s?a\.?\s+de\s+c\.?\s?v\b\.?", "sa"),
        (r"\bs\.\s?a\.?\s?r\.\s?l\b\.?", "sarl"),
        (r"\bs\.\s?r\.\s?l\b\.?", "srl"),
        (r"\bs\.\s?p\.\s?a\b\.?", "spa"),
        (r"\bs\.\s?a\b\.?", "sa"),
        (r"\bb\.\s?v\b\.?", "bv"),
        (r"\bn\.\s?v\b\.?", "nv"),
        (r"\bl\.\s?l\.\s?c\b\.?", "llc"),
        (r"\bl\.\s?l\.\s?p\b\.?", "llp"),
        (r"\bco\.?,?\s+(ltd|limited|inc|llc)\b\.?", r"co \1"),
        (r"\bprivate\s+limited\b", "pvt"),
        (r"\bsocietatea\s+cu\s+raspundere\s+limitata\b", "srl"),
        (r"\bspolka\s+z\s+ograniczona\s+odpowiedzialnoscia\b", "llc"),
        (r"\bsp\.?\s?z\s?o\.?\s?o\b\.?", "llc"),
        (r"\btovarystvo\s+z\s+obmezhenoiu\s+vidpovidalnistiu\b", "llc"),
        (r"\bsoci(?:edad|ete|edade)\s+anonim[ae]\b", "sa"),
        (r"\bsocieta\s+per\s+azioni\b", "spa"),
        (r"\bsociedad\s+(?:de\s+responsabilidad\s+)?limitada\b", "sl"),
        (r"\bbesloten\s+vennootschap\b", "bv"),
        (r"\bnaamloze\s+vennootschap\b", "nv"),
        (r"\banonim\s+sirketi\b", "as"),
    )
)


@lru_cache(maxsize=200_000)
def fold_legal_forms(value: str) -> str:
    """Return `value` transliterated, with multi-word and dotted legal forms as one short form.

    "Siemens Aktiengesellschaft" keeps its words (the single-word forms are folded by
    `legal_form_tokens`); "Grupo Alfa, S.A. de C.V." becomes "grupo alfa, sa".
    """
    text = transliterate(clean_text(value))
    for pattern, form in _PHRASES_V3:
        text = pattern.sub(form, text)
    return text


_LOOKALIKE_DIGITS = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "9": "g"})


def read_lookalike_digits(token: str) -> str:
    """Return `token` with look-alike digits as letters when it mixes letters and digits.

    "sech1n" becomes "sechin"; a token of mostly digits ("44", "731b") stays as it is.
    """
    digits = sum(ch.isdigit() for ch in token)
    if not digits or digits * 2 >= sum(ch.isalpha() for ch in token):
        return token
    return token.translate(_LOOKALIKE_DIGITS)


TITLES_V7 = frozenset([
    "monsieur", "madame", "mme", "mlle", "mademoiselle", "herr", "frau", "senor", "senora",
    "senorita", "signor", "signora", "mister",
])  # fmt: skip
"""Forms of address that v7 drops besides `threatwatch.normalize.HONORIFICS` (Monsieur Ilie
Bolojan is Ilie Bolojan)."""

_UNITS = {word: value for value, word in enumerate([
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
    "nineteen",
])}  # fmt: skip
_TENS = {word: 10 * value for value, word in enumerate([
    "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
], 2)}  # fmt: skip

FORM_WORDS_V7 = frozenset(
    word
    for word in [
        *LEGAL_FORMS_V3,
        "joint",
        "stock",
        "company",
        "limited",
        "liability",
        "partnership",
        "public",
        "closed",
        "gesellschaft",
        "beschrankter",
        "haftung",
        "aktsionernoe",
        "obshchestvo",
    ]
    if len(word) >= 5
)
"""The words of legal forms long enough (5 letters or more) to be told apart when misspelt."""
_FORM_WORDS_ORDER = tuple(sorted(FORM_WORDS_V7))
"""The same in a fixed order, so that a word near two of them is always read as the same one."""


def _number(token: str) -> int | None:
    """Return the value of a number word or of a one-digit number, else None."""
    if token in _UNITS:
        return _UNITS[token]
    return int(token) if len(token) == 1 and token.isdigit() else None


def read_numbers(tokens: list[str]) -> list[str]:
    """Return `tokens` with numbers written as words in digits (three -> 3, forty four -> 44).

    A tens word takes a following unit, written as a word or as a digit (Forty 4 -> 44).
    """
    out: list[str] = []
    k = 0
    while k < len(tokens):
        token = tokens[k]
        if token in _TENS:
            value = _TENS[token]
            unit = _number(tokens[k + 1]) if k + 1 < len(tokens) else None
            if unit is not None and 0 < unit < 10:
                value += unit
                k += 1
            out.append(str(value))
        elif token in _UNITS:
            out.append(str(_UNITS[token]))
        else:
            out.append(token)
        k += 1
    return out


def read_words(tokens: tuple[str, ...], *, numbers: bool) -> tuple[str, ...]:
    """Return v7's reading of a name's tokens (the output of `name_tokens`).

    Titles of address (`TITLES_V7`) are dropped unless nothing else is left. With `numbers`,
    number words become digits (`read_numbers`); a person's name does not ask for it (Ten is a
    name).
    """
    kept = [t for t in tokens if t not in TITLES_V7] or list(tokens)
    if numbers:
        kept = read_numbers(kept)
    return tuple(kept)


def mend_form_words(text: str) -> str:
    """Return `text` (transliterated) with misspelt or cut legal-form words written in full.

    After the first word, a word of 5 letters or more one edit from a word of `FORM_WORDS_V7`
    becomes that word (joynt -> joint), and so does a last word that begins one, 2 letters
    short at most (compan -> company: long names are cut to a field's length). Only the last
    word and the neighbours of a legal-form word are read so: Check Point keeps its Point.
    """
    words = text.split(" ")
    last = len(words) - 1
    for k in range(1, len(words)):
        word = words[k]
        if len(word) < 5 or word in FORM_WORDS_V7 or not word.isalpha():
            continue
        beside = words[k - 1] in FORM_WORDS_V7 or (k < last and words[k + 1] in FORM_WORDS_V7)
        if not beside and k != last:
            continue
        for form in _FORM_WORDS_ORDER:
            if Levenshtein.distance(word, form, score_cutoff=1) <= 1 or (
                k == last and form.startswith(word) and len(form) - len(word) <= 2
            ):
                words[k] = form
                break
    return " ".join(words)


@lru_cache(maxsize=200_000)
def legal_form_tokens(
    value: str, *, organisation: bool = False, words: bool = False
) -> tuple[str, ...]:
    """Return the v3 matching tokens of a name: `name_tokens` with legal forms folded.

    Every legal form becomes `~` plus its canonical form, wherever it stands in an
    organisation's name, and after the first token in other names (an unknown schema may still
    be a company). A name made of legal forms alone keeps them as ordinary tokens. `words`
    reads the name as v7 does: an organisation's misspelt legal-form words are mended first
    (`mend_form_words`), and the tokens are read by `read_words`.
    """
    text = fold_legal_forms(value)
    if words and organisation:
        text = fold_legal_forms(mend_form_words(text))
    raw = name_tokens(text, organisation=organisation)
    if words:
        raw = read_words(raw, numbers=True)
    tokens = tuple(read_lookalike_digits(t) for t in raw)
    bare = [t.lstrip("~") for t in tokens]
    if not organisation and not any(t in LEGAL_FORMS_V3 for t in bare[1:]):
        return tokens
    folded = [
        ("~" + LEGAL_FORMS_V3[t]) if t in LEGAL_FORMS_V3 and (organisation or k > 0) else t
        for k, t in enumerate(bare)
    ]
    if all(t.startswith("~") for t in folded):
        return tuple(bare)
    return tuple(folded)
