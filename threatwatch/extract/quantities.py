"""Numbers with qualifiers: `more than 1,300` -> (1301, None), `at least 133` -> (133, None)."""

from __future__ import annotations

import re

_UNITS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90, "a": 1, "an": 1, "a dozen": 12, "dozen": 12,
}  # fmt: skip
# Vague plurals: the smallest count each can mean.
_VAGUE = {"dozens": 24, "scores": 40, "hundreds": 200, "thousands": 2000, "several": 3}

NUMBER = (
    r"(?:\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?|"
    r"(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[- ](?:one|two|three|four|five|six|seven|eight|nine))?|"
    r"one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|"
    r"sixteen|seventeen|eighteen|nineteen|a dozen|dozens|scores|hundreds|thousands|several)"
    r"(?:\s+(?:hundred|thousand|million))?"
)
QUALIFIER = (
    r"(?:more than|over|at least|nearly|almost|about|around|some|approximately|up to|"
    r"as many as|fewer than|less than|roughly|an estimated|estimated)"
)
_QUANTITY = re.compile(
    rf"^(?:(?P<q>{QUALIFIER})\s+)?(?P<n>{NUMBER})(?:\s*(?:-|to|and)\s*(?P<n2>{NUMBER}))?$", re.I
)


def parse_number(text: str) -> int | None:
    """Return the value of a numeral in digits or words, or None."""
    text = text.lower().strip()
    if text in _VAGUE:
        return _VAGUE[text]
    scale = 1
    for word, factor in (("hundred", 100), ("thousand", 1000), ("million", 1_000_000)):
        if text.endswith(" " + word):
            text, scale = text[: -len(word) - 1].strip(), factor
    digits = text.replace(",", "")
    if re.fullmatch(r"\d+(\.\d+)?", digits):
        return int(float(digits) * scale)
    if text in _UNITS:
        return _UNITS[text] * scale
    parts = re.split(r"[- ]", text)
    if len(parts) == 2 and parts[0] in _UNITS and parts[1] in _UNITS:
        return (_UNITS[parts[0]] + _UNITS[parts[1]]) * scale
    return None


def parse_quantity(text: str) -> tuple[int | None, int | None] | None:
    """Return (min, max) for a counted phrase; a bound is None when the text leaves it open."""
    match = _QUANTITY.match(text.strip())
    if match is None:
        return None
    value = parse_number(match["n"])
    if value is None:
        return None
    if match["n2"]:
        upper = parse_number(match["n2"])
        return (value, upper) if upper is not None and upper >= value else None
    if match["n"].lower() in _VAGUE:
        return (value, None)
    qualifier = (match["q"] or "").lower()
    if qualifier in {"more than", "over"}:
        return (value + 1, None)
    if qualifier == "at least":
        return (value, None)
    if qualifier in {"nearly", "almost", "fewer than", "less than"}:
        return (None, value - 1)
    if qualifier in {"up to", "as many as"}:
        return (None, value)
    return (value, value)
