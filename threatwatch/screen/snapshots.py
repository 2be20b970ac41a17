"""Dated list snapshots on disk: `<root>/<YYYY-MM-DD>/<list>/<files>` plus a manifest.

A snapshot is written only after its files load; the newest date is what `screen` uses when
no list files are given. Old snapshots are kept, so a past screening can be replayed.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from threatwatch.errors import InputError, NotFoundError
from threatwatch.screen.lists import OFAC_FILES, LoadedList, load_list_file

_DATE_DIR = re.compile(r"^\d{4}-\d{2}-\d{2}$")
MANIFEST = "manifest.json"


@dataclass(frozen=True, slots=True, kw_only=True)
class Snapshot:
    """One stored list: where it is, the date it was taken and what it holds."""

    path: Path
    taken_on: str
    list: str
    entries: int
    skipped: int
    files: tuple[str, ...]
    generated: str | None = None


def _files_of(path: Path) -> list[Path]:
    """Return the files making up the list at `path` (OFAC's sdn.csv brings its siblings)."""
    if path.name.lower() == "sdn.csv":
        return [path.parent / n for n in OFAC_FILES if (path.parent / n).is_file()]
    return [path]


def store_files(root: Path, files: Mapping[str, bytes], taken_on: date) -> Snapshot:
    """Validate list files given as {file name: content} and store them as one snapshot.

    Raises:
        InputError: the files do not load as a list.
    """
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for name, content in files.items():
            (folder / Path(name).name).write_bytes(content)
        main = next(
            (folder / n for n in files if n.lower() == "sdn.csv" or n.lower().endswith(".xml")),
            folder / next(iter(files)),
        )
        return store_snapshot(root, main, taken_on)


def store_snapshot(root: Path, path: Path, taken_on: date) -> Snapshot:
    """Load the list file at `path` and, if it loads, copy it under `root/<taken_on>/<list>/`.

    Raises:
        InputError: the file is not a readable list; nothing is stored then.
    """
    loaded: LoadedList = load_list_file(path)
    if not loaded.entries:
        raise InputError(
            f"{str(path)!r} holds no entries; not storing an empty snapshot",
            {str(path): "no entries"},
        )
    target = root / taken_on.isoformat() / loaded.list.replace(":", "_")
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    names = []
    digests = {}
    for file in _files_of(path):
        content = file.read_bytes()
        (target / file.name).write_bytes(content)
        names.append(file.name)
        digests[file.name] = hashlib.sha256(content).hexdigest()
    manifest = {
        "list": loaded.list,
        "taken_on": taken_on.isoformat(),
        "generated": loaded.generated,
        "entries": len(loaded.entries),
        "skipped": loaded.skipped,
        "files": digests,
    }
    (target / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return _snapshot_from(target)


def _snapshot_from(folder: Path) -> Snapshot:
    data = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    return Snapshot(
        path=folder,
        taken_on=str(data["taken_on"]),
        list=str(data["list"]),
        entries=int(data["entries"]),
        skipped=int(data.get("skipped", 0)),
        files=tuple(data["files"]),
        generated=data.get("generated"),
    )


def list_snapshots(root: Path) -> list[Snapshot]:
    """Return every snapshot under `root`, oldest first."""
    if not root.is_dir():
        return []
    found = []
    for day in sorted(p for p in root.iterdir() if p.is_dir() and _DATE_DIR.match(p.name)):
        for folder in sorted(p for p in day.iterdir() if (p / MANIFEST).is_file()):
            found.append(_snapshot_from(folder))
    return found


def latest_snapshots(root: Path) -> list[Snapshot]:
    """Return the newest snapshot of each list under `root`.

    Raises:
        NotFoundError: there is no snapshot at all.
    """
    newest: dict[str, Snapshot] = {}
    for snapshot in list_snapshots(root):
        newest[snapshot.list] = snapshot
    if not newest:
        raise NotFoundError(
            f"No list snapshot under {str(root)!r}; run `threatwatch lists load PATH` "
            "or `threatwatch lists update`, or pass --lists"
        )
    return list(newest.values())
