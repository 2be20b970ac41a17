"""Pure name and text normalisation shared by resolve and screen.

Turns a name in Latin, Cyrillic (Russian, Tajik, Ukrainian) or Arabic script (Arabic, Persian,
Pashto, Dari, Urdu letters) into lower-case Latin tokens, folds particles (al-, bin, Abd al-),
drops honorifics and organisation forms, and derives a consonant skeleton per token that lines up
an unvowelled Arabic-script spelling with its romanisations. Dirty text never raises.
"""

# Transliteration tables must spell Cyrillic and Arabic letters that look like Latin ones.
# ruff: noqa: RUF001

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from anyascii import anyascii

MAX_NAME_LENGTH = 500
"""Longer strings are not names; screening refuses them instead of spending time on them."""

# --- transliteration tables -------------------------------------------------------------------

_CYRILLIC = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh", "з": "z",
    "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r",
    "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh",
    "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu", "я": "ya",
    # Tajik letters
    "ғ": "gh", "ӣ": "i", "қ": "q", "ӯ": "u", "ҳ": "h", "ҷ": "j",
    # Ukrainian and Belarusian letters
    "і": "i", "ї": "yi", "є": "ye", "ґ": "g", "ў": "u",
    # Kazakh, Kyrgyz and Uzbek letters met on the lists
    "ә": "a", "ө": "o", "ү": "u", "ұ": "u", "ң": "ng", "һ": "h", "ҝ": "g",
}  # fmt: skip

# Arabic script, with Persian, Pashto and Urdu letters. Long vowels and hamza carriers are
# written as vowels; `skeleton_token` drops them, so vowel choices never matter there.
_ARABIC = {
    "ا": "a", "أ": "a", "إ": "i", "آ": "a", "ٱ": "a", "ء": "", "ئ": "i", "ؤ": "u",
    "ب": "b", "پ": "p", "ت": "t", "ث": "s", "ج": "j", "چ": "ch", "ح": "h", "خ": "kh",
    "د": "d", "ذ": "z", "ر": "r", "ز": "z", "ژ": "zh", "س": "s", "ش": "sh", "ص": "s",
    "ض": "z", "ط": "t", "ظ": "z", "ع": "a", "غ": "gh", "ف": "f", "ق": "q", "ک": "k",
    "ك": "k", "گ": "g", "ل": "l", "م": "m", "ن": "n", "و": "u", "ه": "h", "ة": "a",
    "ی": "i", "ي": "i", "ى": "a", "ے": "e", "ۍ": "ai", "ې": "e", "ہ": "h", "ۃ": "a",
    "ھ": "h", "ټ": "t", "ډ": "d", "ړ": "r", "ږ": "zh", "ښ": "sh", "ځ": "z", "څ": "s",
    "ګ": "g", "ڼ": "n", "ٹ": "t", "ڈ": "d", "ڑ": "r", "ں": "n", "ڤ": "v", "ڨ": "g",
}  # fmt: skip

_ARABIC_DIGITS = {chr(0x660 + i): str(i) for i in range(10)} | {
    chr(0x6F0 + i): str(i) for i in range(10)
}
_TRANSLIT = str.maketrans(_CYRILLIC | _ARABIC | _ARABIC_DIGITS)

_TATWEEL = "\u0640"
# Arabic script glues the article and "Allah" to the word: split them off before transliterating.
_ALLAH_AR = re.compile("[اٱ]?لل[هہ]")
_ARTICLE_AR = re.compile("(?<![\u0600-\u06ff])ال(?=[\u0600-\u06ff]{2,})")
_SEPARATORS = re.compile(r"[\s\-‐‑‒–—―_/\\|.,;:·'\"`´‘’ʼʻʿʾ“”„«»()\[\]{}<>!?*&+#@%=~^$]+")
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]")

# --- name vocabulary --------------------------------------------------------------------------

HONORIFICS = frozenset(
    [
        "mullah",
        "mulla",
        "mullo",
        "mollah",
        "molla",
        "maulawi",
        "mawlawi",
        "maulavi",
        "mawlavi",
        "moulvi",
        "molvi",
        "mowlavi",
        "maulvi",
        "mawlana",
        "maulana",
        "moulana",
        "haji",
        "hajji",
        "hadji",
        "hajj",
        "alhaj",
        "alhajj",
        "dr",
        "doctor",
        "sheikh",
        "shaykh",
        "shaikh",
        "sheik",
        "shaik",
        "sayyed",
        "mr",
        "mrs",
        "ms",
        "miss",
        "prof",
        "professor",
        "gen",
        "general",
        "col",
        "colonel",
        "maj",
        "major",
        "capt",
        "captain",
        "lt",
        "eng",
        "engineer",
        "qari",
        "hafiz",
        "amir",
        "emir",
        "ustad",
        "ustadh",
        "ustaz",
        "sir",
        "dame",
        "lord",
        "imam",
    ]
)
"""Titles dropped before matching: they are worn, not given, and appear on one list only."""

PARTICLES = frozenset(
    [
        "al",
        "el",
        "ul",
        "ol",
        "il",
        "ad",
        "ud",
        "ed",
        "ud",
        "ar",
        "ur",
        "as",
        "us",
        "an",
        "un",
        "at",
        "ut",
        "az",
        "uz",
    ]
)
"""Arabic article forms; dropped when they stand alone before a name."""

PATRONYMICS = frozenset(["bin", "ben", "ibn", "ibnu", "bint", "binti"])
"""Son/daughter-of markers; bin/ben/ibn are the same word, so none of them is kept."""

ORG_FORMS = {
    "ltd": "ltd", "limited": "ltd", "llc": "llc", "llp": "llp", "inc": "inc",
    "incorporated": "inc", "corp": "corp", "corporation": "corp", "co": "co", "company": "co",
    "plc": "plc", "gmbh": "gmbh", "ag": "ag", "sa": "sa", "sarl": "sarl", "srl": "srl",
    "spa": "spa", "bv": "bv", "nv": "nv", "jsc": "jsc", "ojsc": "jsc", "pjsc": "jsc",
    "cjsc": "jsc", "oao": "jsc", "zao": "jsc", "pao": "jsc", "ao": "jsc", "ooo": "llc",
    "tov": "llc", "fze": "fze", "fzco": "fze", "fzc": "fze", "pte": "pte", "pvt": "pvt",
    "private": "pvt", "est": "est", "establishment": "est", "sdn": "sdn", "bhd": "bhd",
    "kft": "kft", "oy": "oy", "ab": "ab", "as": "as", "aps": "aps", "sl": "sl", "lda": "lda",
    "ltda": "ltda", "cia": "co", "sas": "sas", "group": "group", "holding": "holding",
    "holdings": "holding",
}  # fmt: skip
"""Organisation legal forms and their canonical short form; matched with a small weight."""

_ORG_PHRASES = (
    ("obshchestvo s ogranichennoy otvetstvennostyu", "llc"),
    ("limited liability company", "llc"),
    ("joint stock company", "jsc"),
    ("public joint stock company", "jsc"),
    ("closed joint stock company", "jsc"),
    ("aktsionernoe obshchestvo", "jsc"),
    ("private limited", "pvt"),
)

_ABD_PREFIX = re.compile(r"^(abd|abdu|abdul|abdel|abdal|abdol|abdil|abdoul|abdur|abdus|abdurr)$")
_ABD_JOINED = re.compile(
    r"^(abdul|abdel|abdal|abdol|abdil|abdoul|abdur|abdus|abdaz|abduz)(\w{3,})$"
)
_VARIANTS = {"abou": "abu", "abo": "abu", "aboo": "abu", "bou": "abu"}
_ALLAH = frozenset({"allah", "ullah", "ulla", "ollah", "olla", "alla", "illah"})
_DIN = frozenset({"din", "deen", "uddin", "eddin", "addin", "udin", "edin"})


def clean_text(value: str) -> str:
    """Return `value` in NFKC with control and bidi characters removed and spaces collapsed."""
    text = unicodedata.normalize("NFKC", value)
    text = _CONTROL.sub("", text)
    return " ".join(text.split())


_KANA_VOICING = frozenset("\u3099\u309a")
"""Kana voicing marks: NFD splits them off (ガ -> カ + U+3099) but they change the sound (ga, not
ka), so they stay and recompose."""


def strip_marks(value: str) -> str:
    """Return `value` without combining marks (diacritics, Arabic harakat) or tatweel.

    Kana voicing marks are kept: they are part of the syllable, not an accent.
    """
    decomposed = unicodedata.normalize("NFD", value.replace(_TATWEEL, ""))
    kept = "".join(ch for ch in decomposed if not unicodedata.combining(ch) or ch in _KANA_VOICING)
    return unicodedata.normalize("NFC", kept)


def detect_scripts(value: str) -> frozenset[str]:
    """Return the scripts of the letters in `value`: latin, cyrillic, arabic or other."""
    scripts: set[str] = set()
    for ch in value:
        if not ch.isalpha():
            continue
        code = ord(ch)
        if code < 0x250 or 0x1E00 <= code < 0x1F00:
            scripts.add("latin")
        elif 0x400 <= code < 0x530:
            scripts.add("cyrillic")
        elif 0x600 <= code < 0x700 or 0x750 <= code < 0x780 or 0xFB50 <= code < 0xFF00:
            scripts.add("arabic")
        else:
            scripts.add("other")
    return frozenset(scripts)


def transliterate(value: str) -> str:
    """Return `value` in lower-case ASCII Latin; Cyrillic and Arabic script use our tables.

    Characters of other scripts go through anyascii, so a name never vanishes. Each character is
    handled on its own, which also undoes Cyrillic look-alikes hidden in a Latin name.
    """
    text = strip_marks(clean_text(value)).lower()
    if "arabic" in detect_scripts(text):
        text = _ARTICLE_AR.sub("al ", _ALLAH_AR.sub("ullah", text))
    text = text.translate(_TRANSLIT)
    return anyascii(text).lower()


_SOUND_SPELLINGS = (
    ("shch", "c"),
    ("dzh", "j"),
    ("tch", "c"),
    ("kh", "x"),
    ("gh", "g"),
    ("sh", "c"),
    ("ch", "c"),
    ("zh", "j"),
    ("dj", "j"),
    ("th", "t"),
    ("dh", "z"),
    ("ph", "f"),
    ("ts", "s"),
    ("ck", "k"),
    ("q", "k"),
)
"""Spellings of one sound, each written as one letter (kh -> x, sh -> c, q -> k)."""
_GLIDES = frozenset("aeiouyw")
_MERGED = {"p": "b", "v": "f"}


def _sound_letters(token: str) -> str:
    """Return a Latin token with each sound in one letter and a final h dropped."""
    text = token
    for old, new in _SOUND_SPELLINGS:
        text = text.replace(old, new)
    if len(text) > 1 and text.endswith("h"):
        text = text[:-1]
    return text


@lru_cache(maxsize=200_000)
def skeleton_token(token: str) -> str:
    """Return the consonant skeleton of one Latin token: its letters by sound class, no vowels.

    Arabic script writes no short vowels, and romanisations disagree on them (Mohammed,
    Muhammad, Mokhamed), so the skeleton drops vowels and glides and merges letters that
    romanise the same Arabic, Persian or Russian sound.
    """
    out: list[str] = []
    for ch in _sound_letters(token):
        if ch in _GLIDES:
            continue
        ch = _MERGED.get(ch, ch)
        if out and out[-1] == ch:
            continue
        out.append(ch)
    return "".join(out)


@lru_cache(maxsize=200_000)
def vowel_pattern(token: str) -> str:
    """Return the sound classes of one Latin token with each run of vowels and glides as "a".

    Where the skeleton keeps consonants only, this also says where vowels stand. Arabic script
    writes its long vowels (alif, waw, ya), so "yasmin" from Arabic script gives "asman": a
    romanisation of the same name has a vowel wherever that pattern has one ("Yasmin", "Yasmeen"),
    and may add short ones, while "Simon" ("saman") has no vowel before its s.
    """
    out: list[str] = []
    for ch in _sound_letters(token):
        ch = "a" if ch in _GLIDES else _MERGED.get(ch, ch)
        if out and out[-1] == ch:
            continue
        out.append(ch)
    return "".join(out)


_ROMAN_CLASSES = str.maketrans({"e": "i", "y": "i", "o": "u", "w": "v"})
_J_AS_VOWEL = re.compile(r"(?<=[aeiouy])j(?![aeiouy])")
_C_SOFT = re.compile(r"c(?=[eiy])")
_C_HARD = re.compile(r"c(?![hk])")


@lru_cache(maxsize=200_000)
def romanisation_key(token: str) -> str:
    """Return a Latin token as its romanisation key: one letter per sound, vowels by class.

    Transliterations of one name differ in how they write a sound (kh / h, w / v, j / y, ou / u,
    ss / s) and in vowel quality within a class (Husayn / Hussein, Moammar / Muammar). The key
    writes each sound spelling as one letter (as the skeleton does), folds the vowels to three
    classes (a; e, i, y; o, u), reads a j after a vowel as a vowel (Sergejs, Selenskyj), reads c
    as s or k as it sounds, merges w into v, and writes each run of one letter once. Unlike the
    skeleton it keeps the vowels, so Amin and Mann stay apart.
    """
    text = _J_AS_VOWEL.sub("i", token)
    text = _C_HARD.sub("k", _C_SOFT.sub("s", text))
    text = _sound_letters(text).translate(_ROMAN_CLASSES)
    out: list[str] = []
    for ch in text:
        if out and out[-1] == ch:
            continue
        out.append(ch)
    return "".join(out)


def _fold_tokens(tokens: list[str]) -> list[str]:
    """Fold Arabic particles and compounds so that each spelling gives the same tokens."""
    out: list[str] = []
    i = 0
    n = len(tokens)
    while i < n:
        tok = _VARIANTS.get(tokens[i], tokens[i])
        nxt = tokens[i + 1] if i + 1 < n else None
        if _ABD_PREFIX.match(tok) and nxt is not None:
            # Abd al-Ghani, Abdul Ghani, Abdel Ghani, Abdur Rahman -> abdulghani, abdulrahman
            j = i + 1
            if tokens[j] in PARTICLES and j + 1 < n:
                j += 1
            rest = tokens[j]
            out.append("abdul" + rest)
            i = j + 1
            continue
        joined = _ABD_JOINED.match(tok)
        if joined:
            rest = joined.group(2)
            if joined.group(1)[-1] in "rsz":
                rest = joined.group(1)[-1] + rest  # Abdurakhmon -> abdu + rakhmon
                if len(rest) > 2 and rest[0] == rest[1]:
                    rest = rest[1:]  # Abdurrahman -> abdul + rahman
            tok = "abdul" + rest
        if tok in PATRONYMICS and nxt is not None:
            i += 1
            continue
        if tok in PARTICLES and nxt is not None:
            i += 1
            continue
        if len(tok) > 4 and tok[:3] in ("al-", "el-"):
            tok = tok[3:]
        if out and (tok in _ALLAH or tok in _DIN):
            # Sana Ullah -> sanaullah; Bashir ud Din -> bashiruddin
            out[-1] = out[-1] + ("ullah" if tok in _ALLAH else "uddin")
            i += 1
            continue
        if tok.endswith(("ulla", "olla", "alla")) and len(tok) > 6:
            tok = tok[:-4] + "ullah"
        elif tok.endswith(("ollah", "allah")) and len(tok) > 7:
            tok = tok[:-5] + "ullah"
        out.append(tok)
        i += 1
    return out


def reorder_name(value: str) -> str:
    """Return "Given SURNAME" for a name written "SURNAME, Given"; other names as they are."""
    parts = value.split(",")
    if len(parts) == 2 and parts[0].strip() and parts[1].strip():
        return f"{parts[1].strip()} {parts[0].strip()}"
    return value


@lru_cache(maxsize=200_000)
def name_tokens(value: str, *, organisation: bool = False, person: bool = False) -> tuple[str, ...]:
    """Return the matching tokens of a name: Latin, lower case, particles folded, titles dropped.

    Organisation forms are replaced by their short form prefixed with `~` so that callers can
    weight them down, unless the name is known to be a `person`'s (George Holding). Returns an
    empty tuple when nothing name-like is left.
    """
    text = transliterate(reorder_name(clean_text(value))[: MAX_NAME_LENGTH * 2])
    if organisation:
        for phrase, form in _ORG_PHRASES:
            text = text.replace(phrase, form)
    # keep "al-" glued for now so that it can be told from a standalone word
    raw = [t for t in _SEPARATORS.split(text) if t]
    raw = [t for t in raw if t.isalnum()]
    kept = [t for t in raw if t not in HONORIFICS] or raw
    tokens = _fold_tokens(kept)
    if not person and (organisation or any(t in ORG_FORMS for t in tokens[1:])):
        tokens = [("~" + ORG_FORMS[t]) if t in ORG_FORMS else t for t in tokens]
        if all(t.startswith("~") for t in tokens):
            tokens = [t.lstrip("~") for t in tokens]
    return tuple(tokens)


def normalize_name(value: str) -> str:
    """Return the normalised form of a name: its matching tokens joined by single spaces.

    Idempotent: normalising a normalised name gives it back unchanged.
    """
    return " ".join(t.lstrip("~") for t in name_tokens(value))
