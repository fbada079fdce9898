"""Print what each HTML rewrite of hooks/html_rewrites.py buys on the posts' first load.

The published site (a copy of the sources, drafts left out) is built once with every rewrite,
then once more per rewrite with that one left out (tests/support/testkit/rewrite_steps.py: the
real build, in this process, the rewrite passing its input on unchanged). Each post's first load
is measured as tools/bench/bench_site.py measures it: requests, HTML+CSS+JS gzip bytes, other
bytes (images). A rewrite's figure is what leaving it out would add: positive, it saves.

Each rewrite says why it is there (``pays_by``): ``reader`` (the page reads or works better:
no byte figure can judge it), or ``weight``. A ``weight`` rewrite must save, on at least one
post, a request or the bytes budgeted in tools/bench/budgets.toml (``[rewrites]``: gzip text
plus images), or its code does not pay for itself: the verdict line says which one does not.

Usage, from the repository root: .venv/bin/python tools/bench/bench_rewrites.py
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import bench_site  # beside this script
from budgets import budget

import html_rewrites
from testkit.paths import REPO
from testkit.posts import PUBLISHED
from testkit.rewrite_steps import record_build
from testkit.site_build import copy_sources

MIN_SAVED = budget("rewrites", "min_bytes_saved")


def lines_of(name: str) -> int:
    return len((REPO / "hooks" / f"{name}.py").read_text(encoding="utf-8").splitlines())


def first_loads(project: Path, site: Path, skip: str | None) -> dict[str, tuple[int, int, int]]:
    """Each post's first load (requests, text gzip bytes, other bytes), built without ``skip``."""
    record_build(project, site, skip=skip)
    loads = {}
    for post in PUBLISHED:
        load = bench_site.measure_page(site, post.path.strip("/"))
        loads[post.slug] = (len(load.requests), load.text_bytes()[1], load.other_bytes())
    return loads


def main() -> int:
    print(f"reproduce: cd {REPO} && .venv/bin/python tools/bench/bench_rewrites.py")
    with tempfile.TemporaryDirectory(prefix="bench-rewrites-") as tmp:
        project = copy_sources(Path(tmp) / "project")
        every = first_loads(project, Path(tmp) / "every", None)
        without = {
            rewrite.name: first_loads(project, Path(tmp) / rewrite.name, rewrite.name)
            for rewrite in html_rewrites.REWRITES
        }
    slugs = [post.slug for post in PUBLISHED]
    print("first load with every rewrite (requests, HTML+CSS+JS gzip B, other B):")
    for slug in slugs:
        print(f"  {slug}: {every[slug]}")
    print("\nwhat each rewrite saves on each post's first load (requests / gzip B / other B):")
    print(f"  {'rewrite':<16} {'phase':<8} {'pays by':<7} {'lines':>5}  " + "  ".join(slugs))
    weak = []
    for rewrite in html_rewrites.REWRITES:
        saved = [
            tuple(b - a for a, b in zip(every[slug], without[rewrite.name][slug], strict=True))
            for slug in slugs
        ]
        pays = any(requests > 0 or text + other >= MIN_SAVED for requests, text, other in saved)
        flag = "" if rewrite.pays_by == "reader" or pays else "  <- does not pay for its code"
        if flag:
            weak.append(rewrite.name)
        figures = "  ".join(f"{r:>2} / {t:>6,} / {o:>7,}" for r, t, o in saved)
        why = f"{rewrite.name:<16} {rewrite.phase:<8} {rewrite.pays_by:<7}"
        print(f"  {why} {lines_of(rewrite.name):>5}  {figures}{flag}")
    verdict = "FAIL" if weak else "PASS"
    print(
        f"\n{verdict}: every 'weight' rewrite saves a request or >= {MIN_SAVED:.0f} B (gzip text "
        "and images) on a post" + (f" (not: {', '.join(weak)})" if weak else "")
    )
    return 1 if weak else 0


if __name__ == "__main__":
    sys.exit(main())
