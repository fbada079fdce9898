"""The guest root as v86 serves it over 9p: a file list (JSON) and one zstd blob per file.

v86's format (its tools/fs2json.py, version 3): `{"fsroot": [...], "version": 3, "size": N}`,
each entry `[name, size, mtime, mode, uid, gid, target]`, where target is the children of a
directory, the target of a symlink, or the blob name of a file. v86 fetches `baseurl + blob`
only when the guest opens the file, and decompresses a blob whose name ends in `.zst`, so the
blobs are stored compressed on a static host. Blobs are named by the sha256 of their content:
identical files share one, and a browser may cache them forever.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import stat
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

VERSION = 3
ZSTD_LEVEL = "-19"
BATCH = 500  # files per zstd process, well below the argument list's limit


def write(root: Path, listing: Path, blobs: Path) -> tuple[int, int]:
    """Write the list and the blobs; return (files, total size of the files)."""
    blobs.mkdir(parents=True, exist_ok=True)
    sources: dict[str, Path] = {}  # blob name -> one file with that content
    tree = _directory(root, sources)
    _compress(sources, blobs)
    size = sum(entry_size for entry_size in _file_sizes(tree))
    listing.write_text(
        json.dumps({"fsroot": tree, "version": VERSION, "size": size}, separators=(",", ":"))
    )
    return len(list(_file_sizes(tree))), size


def _directory(folder: Path, sources: dict[str, Path]) -> list[list[Any]]:
    entries: list[list[Any]] = []
    for entry in sorted(os.scandir(folder), key=lambda item: item.name):
        info = entry.stat(follow_symlinks=False)
        mtime = int(info.st_mtime)
        head = [entry.name, info.st_size, mtime, info.st_mode, info.st_uid, info.st_gid]
        if stat.S_ISDIR(info.st_mode):
            entries.append([*head, _directory(Path(entry.path), sources)])
        elif stat.S_ISLNK(info.st_mode):
            entries.append([*head, os.readlink(entry.path)])
        elif stat.S_ISREG(info.st_mode):
            name = f"{_sha256(Path(entry.path))}.zst"
            sources.setdefault(name, Path(entry.path))
            entries.append([*head, name])
        # Device nodes, sockets and pipes are left out: the guest's devtmpfs makes /dev.
    return entries


def _file_sizes(tree: list[list[Any]]) -> Iterator[int]:
    for entry in tree:
        if isinstance(entry[6], list):
            yield from _file_sizes(entry[6])
        elif stat.S_ISREG(entry[3]):
            yield entry[1]


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as source:
        for chunk in iter(lambda: source.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _compress(sources: dict[str, Path], blobs: Path) -> None:
    """Compress each missing blob with one zstd per batch (one per file is thousands of
    processes): hard links named after the blob, in a folder beside the blobs, are its input."""
    staging = blobs.with_name(blobs.name + ".staging")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir()
    try:
        missing = []
        for name, source in sources.items():
            if not (blobs / name).exists():
                link = staging / name.removesuffix(".zst")
                os.link(source, link)
                missing.append(str(link))
        for start in range(0, len(missing), BATCH):
            subprocess.run(
                [
                    "zstd",
                    "-q",
                    ZSTD_LEVEL,
                    "-f",
                    "--output-dir-flat",
                    str(blobs),
                    "--",
                    *missing[start : start + BATCH],
                ],
                check=True,
                timeout=1800,
            )
        for name in sources:
            (blobs / name).chmod(0o644)  # zstd keeps a 0600 source's mode; the web needs read
    finally:
        shutil.rmtree(staging, ignore_errors=True)
