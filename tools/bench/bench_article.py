#!/usr/bin/env python3
"""Reading figures (a script, not a test): each post's reading time, and section 5's prose.

.venv/bin/python tools/bench/bench_article.py

Builds the site as readers get it (`mkdocs build --strict`, in a temporary folder) and prints
each published post's reading time as the theme shows it ("N min read", Material's blog plugin:
every word of the page, code included, at 265 words a minute, plus a few seconds per image).
Then it counts the prose words of the first post's section 5 (testkit/prose.py: no code, no
includes). Budgets: each post at most 30 minutes (read in one sitting), the first post's
section 5 at most 1,500 words of prose (its point not buried). Prints PASS/FAIL lines and
exits 1 on a FAIL.
"""

from __future__ import annotations

import re
import sys
import tempfile
from pathlib import Path

import bench_site  # beside this script
from budgets import budget

from testkit import prose
from testkit.paths import REPO
from testkit.posts import PUBLISHED
from testkit.site_build import build, copy_sources, soup

FIRST_POST = "genesis-of-pod-ip-addresses"
MAX_MINUTES = budget("article", "max_reading_minutes")
SECTION = "## 5."
MAX_SECTION_WORDS = budget("article", "max_section_words")
READTIME = re.compile(r"(\d+) min read")


def reading_minutes(site: Path, path: str) -> int:
    meta = soup(site / path / "index.html").select_one(".post-byline").get_text(" ")
    match = READTIME.search(meta)
    if match is None:
        raise SystemExit(f"{path}: no 'N min read' in the post's metadata: {meta!r}")
    return int(match[1])


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="bench-article-") as work:
        project = copy_sources(Path(work) / "project")
        result = build(project, project / "site")
        if result.returncode != 0:
            print(result.output, file=sys.stderr)
            return 1
        minutes = {post.slug: reading_minutes(result.site, post.path) for post in PUBLISHED}

    print("reading time, as the theme shows it:")
    for slug, value in minutes.items():
        print(f"  {value:3d} min  posts/{slug}/")
    markdown = (REPO / "docs" / "posts" / f"{FIRST_POST}.md").read_text(encoding="utf-8")
    words = prose.word_count(prose.section(markdown, SECTION))
    print(f"section 5 of {FIRST_POST}: {words} words of prose")

    print(f"\nbudget (first post <= {MAX_MINUTES} min, section 5 <= {MAX_SECTION_WORDS} words):")
    checks = [
        (
            f"{FIRST_POST}: {minutes[FIRST_POST]} min <= {MAX_MINUTES}",
            minutes[FIRST_POST] <= MAX_MINUTES,
        ),
        (f"section 5: {words} words <= {MAX_SECTION_WORDS}", words <= MAX_SECTION_WORDS),
    ]
    return 0 if bench_site.report_budget(checks) else 1


if __name__ == "__main__":
    sys.exit(main())
