"""Print what a built site publishes, and the browser lab's share of it, against Pages' limits.

A script, not a test: it prints figures and a PASS/FAIL line against [pages] of budgets.toml,
and exits 1 on FAIL. For the whole site and for its ``lab/browser/`` folder (the emulator and
the image, published when the build is given BROWSER_LAB_IMAGE): files, total bytes, the
largest file. Bytes are the files' sizes as published, before the server compresses anything.

Usage, from the repository root, after a build:
  BROWSER_LAB_IMAGE=/var/cache/pod-ip-blog/browserlab-<hash> .venv/bin/mkdocs build
  .venv/bin/python tools/bench/bench_published.py [SITE]     (SITE defaults to site/)
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path

from budgets import budget  # beside this script

MAX_SITE_BYTES = budget("pages", "max_site_bytes")
MAX_FILE_BYTES = budget("pages", "max_file_bytes")
LAB_FOLDER = Path("lab") / "browser"


@dataclass(frozen=True)
class Published:
    files: int
    total_bytes: int
    largest: Path | None
    largest_bytes: int


def measure(folder: Path) -> Published:
    sizes = {path: path.stat().st_size for path in folder.rglob("*") if path.is_file()}
    largest = max(sizes, key=lambda path: sizes[path], default=None)
    return Published(
        files=len(sizes),
        total_bytes=sum(sizes.values()),
        largest=largest,
        largest_bytes=sizes[largest] if largest else 0,
    )


def oversized(folder: Path) -> list[Path]:
    """The published files over the per-file budget."""
    return sorted(
        path
        for path in folder.rglob("*")
        if path.is_file() and path.stat().st_size > MAX_FILE_BYTES
    )


def line(name: str, published: Published, site: Path) -> str:
    largest = published.largest.relative_to(site) if published.largest else "-"
    return (
        f"{name:<12} {published.files:>7,} files {published.total_bytes:>14,} bytes  "
        f"largest {largest} ({published.largest_bytes:,} bytes)"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("site", nargs="?", type=Path, default=Path("site"))
    site = parser.parse_args(argv).site
    if not (site / "index.html").is_file():
        print(f"{site}: no built site here (make build)", file=sys.stderr)
        return 2
    whole = measure(site)
    print(line("site", whole, site))
    if (site / LAB_FOLDER).is_dir():
        print(line(str(LAB_FOLDER), measure(site / LAB_FOLDER), site))
    else:
        print(f"{LAB_FOLDER}: not published (the build had no BROWSER_LAB_IMAGE)")
    problems = [
        f"{path.relative_to(site)} is over {MAX_FILE_BYTES:,} bytes" for path in oversized(site)
    ]
    if whole.total_bytes > MAX_SITE_BYTES:
        problems.append(f"the site is over {MAX_SITE_BYTES:,} bytes")
    for problem in problems:
        print(f"FAIL {problem}")
    if not problems:
        print(
            f"PASS every file within {MAX_FILE_BYTES:,} bytes, the site within {MAX_SITE_BYTES:,}"
        )
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
