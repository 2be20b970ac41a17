"""Write a benchmark's Markdown section into BENCHMARKS.md, replacing its previous version."""

from __future__ import annotations

import re
from pathlib import Path

BENCHMARKS = Path(__file__).resolve().parent.parent / "BENCHMARKS.md"


def write_section(text: str, path: Path = BENCHMARKS) -> None:
    """Put `text`, which starts with its `## ` heading line, in place of that section.

    The old section runs from its heading to the next `## ` heading or the end of the file; a
    section not yet in the file is appended.
    """
    heading = text.splitlines()[0]
    current = path.read_text(encoding="utf-8") if path.exists() else "# Benchmarks\n"
    pattern = re.compile(rf"^{re.escape(heading)}\n.*?(?=^## |\Z)", re.S | re.M)
    body = text.rstrip("\n") + "\n"
    if pattern.search(current):
        # A blank line before the next section; none at the end of the file.
        current = pattern.sub(lambda m: body + ("\n" if m.end() < len(current) else ""), current)
    else:
        current = current.rstrip("\n") + "\n\n" + body
    path.write_text(current, encoding="utf-8")


def publish(text: str, *, write: bool) -> None:
    """Print a benchmark's section and, when `write`, put it into BENCHMARKS.md."""
    print(text)
    if write:
        write_section(text)
