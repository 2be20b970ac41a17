"""Organisation legal forms folded to canonical tokens, for `threatwatch.screen.v3` only.

v3 also reads digits written for look-alike letters inside a word (Ig0r Sech1n) as those letters.

v1 and v2 keep the shared normalisation of `threatwatch.normalize` unchanged. v3 first rewrites
the long, dotted and multi-word spellings of legal forms (Aktiengesellschaft, S.A. de C.V.,
Public Joint Stock Company, Gesellschaft mit beschränkter Haftung) to one short form, then lets
`name_tokens` mark every short form (`~ag`, `~jsc`) so that alignment weighs it near zero.
"""

from __future__ import annotations

import re
from functools import lru_cache

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


@lru_cache(maxsize=200_000)
def legal_form_tokens(value: str, *, organisation: bool = False) -> tuple[str, ...]:
    """Return the v3 matching tokens of a name: `name_tokens` with legal forms folded.

    Every legal form becomes `~` plus its canonical form, wherever it stands in an
    organisation's name, and after the first token in other names (an unknown schema may still
    be a company). A name made of legal forms alone keeps them as ordinary tokens.
    """
    tokens = tuple(
        read_lookalike_digits(t)
        for t in name_tokens(fold_legal_forms(value), organisation=organisation)
    )
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
