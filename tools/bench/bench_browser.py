"""Lighthouse scores and the first load measured in Chromium: the article against plain Material.

A script, not a test: it prints figures and PASS/FAIL budget lines, and exits 1 on a FAIL.

Both sites are production builds served from 127.0.0.1 the way a static host serves them
(tests/browser/static_server.py: gzip level 6 for text, 404.html for missing paths): this blog
as readers get it (a copy of the sources, as the browser tests build it), and a fresh Material
blog (bench_site.py's) holding the same posts, their ``--8<--`` includes written out, so both
pages show the same code, and their front matter in Material's own keys (bench_site.py says how).

Lighthouse: npm ``lighthouse`` (pinned below; installed on first run into tools/bench/.node/,
git-ignored) with Debian's Chromium, its default mobile preset (Moto G-class screen, simulated
slow 4G, 4x CPU slowdown), N runs per page, median score per category.

First load: every request Chromium makes until the network is idle after ``load`` (the document,
CSS, JS, images, the favicon, the search worker and index, what bundle.js fetches), read from
the browser: bytes on the wire (gzip where the server compressed) and decoded bytes.

Usage, from the repository root: .venv/bin/python tools/bench/bench_browser.py [--runs 3]
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import platform
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import bench_site  # beside this script
from budgets import budget

from testkit.browsing import CHROMIUM, CHROMIUM_ARGS
from testkit.paths import REPO
from testkit.site_build import SLUG, build, copy_sources
from testkit.static_server import GZIP_LEVEL, serve

NODE_DIR = REPO / "tools" / "bench" / ".node"
LIGHTHOUSE_VERSION = "12.8.2"  # 13 needs a newer Node than Debian's (FACTS.md)
LIGHTHOUSE = NODE_DIR / "node_modules" / ".bin" / "lighthouse"
LIGHTHOUSE_TIMEOUT_S = 180
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
PAGE = f"posts/{SLUG}/"

# Budgets (tools/bench/budgets.toml says why each). First load, as Chromium fetches it. Bytes: the
# theme, CSS+JS that every page pays (plain Material's main.css, bundle.js and search worker,
# printed beside ours; our own CSS and script, and the palette's subset, are in the document,
# hooks/inline_assets.py and palette_subset.py), and the document, which grows with the article.
MIN_SCORE = budget("browser", "min_score")
MAX_REQUESTS_BESIDES_IMAGES = budget("browser", "max_requests_besides_images")
MAX_GZIP_THEME_BYTES = budget("browser", "max_gzip_theme_bytes")
MAX_GZIP_DOCUMENT_BYTES = budget("browser", "max_gzip_document_bytes")
MAX_WIRE_BYTES = budget("browser", "max_wire_bytes")
TEXT_TYPES = ("document", "stylesheet", "script")


# ---------------------------------------------------------------------------- sites


def build_article_site(work: Path) -> Path:
    """The production build of a copy of the sources: the article page readers get."""
    project = copy_sources(work / "published")
    result = build(project, project / "site")
    if result.returncode != 0:
        raise SystemExit(f"mkdocs build failed:\n{result.output}")
    return result.site


# ---------------------------------------------------------------------------- first load


@dataclass
class Fetch:
    url: str
    kind: str  # Chromium's resource type: document, stylesheet, script, image, fetch, ...
    wire: int  # body bytes as sent (gzip when the server compressed it)
    raw: int  # body bytes decoded
    status: int


@dataclass
class Load:
    page: str
    fetches: list[Fetch] = field(default_factory=list)

    def total(self, attribute: str, kinds: tuple[str, ...] | None = None) -> int:
        return sum(
            getattr(fetch, attribute)
            for fetch in self.fetches
            if kinds is None or fetch.kind in kinds
        )

    def count(self, kinds: tuple[str, ...]) -> int:
        return sum(1 for fetch in self.fetches if fetch.kind in kinds)

    def off_host(self) -> list[str]:
        return [f.url for f in self.fetches if not f.url.startswith("http://127.0.0.1:")]

    def failed(self) -> list[str]:
        return [f"{f.status} {f.url}" for f in self.fetches if f.status >= 400]


@contextmanager
def chromium() -> Iterator[object]:
    from playwright.sync_api import sync_playwright  # noqa: PLC0415 - only this part needs it

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def first_load(browser, url: str) -> Load:
    """Every request of a first visit (empty cache), on a phone-sized screen."""
    context = browser.new_context(viewport={"width": 412, "height": 823}, is_mobile=True)
    page = context.new_page()
    load = Load(url)
    responses = []
    # Playwright wraps the handler in place, which a bound builtin (list.append) refuses.
    page.on("response", lambda response: responses.append(response))  # noqa: PLW0108
    page.goto(url, wait_until="load")
    page.wait_for_load_state("networkidle")
    for response in responses:
        body = b"" if response.status in {204, 301, 302, 304} else response.body()
        # Bytes as sent: the server compresses with a fixed level and no timestamp, so the same
        # call gives the exact size (Chromium reports none for a worker's script).
        gzipped = response.headers.get("content-encoding") == "gzip"
        wire = len(gzip.compress(body, compresslevel=GZIP_LEVEL, mtime=0)) if gzipped else len(body)
        load.fetches.append(
            Fetch(response.url, response.request.resource_type, wire, len(body), response.status)
        )
    context.close()
    return load


kb = bench_site.kb


def print_loads(ours: Load, plain: Load) -> None:
    other = ("image", "font", "fetch", "xhr", "other", "manifest", "media")
    rows = [
        ("requests", ours.count(TEXT_TYPES + other), plain.count(TEXT_TYPES + other)),
        ("  of them images", ours.count(("image",)), plain.count(("image",))),
        ("HTML+CSS+JS raw", kb(ours.total("raw", TEXT_TYPES)), kb(plain.total("raw", TEXT_TYPES))),
        (
            "HTML+CSS+JS gzip",
            kb(ours.total("wire", TEXT_TYPES)),
            kb(plain.total("wire", TEXT_TYPES)),
        ),
        (
            "  of it HTML gzip",
            kb(ours.total("wire", ("document",))),
            kb(plain.total("wire", ("document",))),
        ),
        ("everything as sent", kb(ours.total("wire")), kb(plain.total("wire"))),
        ("requests off 127.0.0.1", len(ours.off_host()), len(plain.off_host())),
    ]
    bench_site.print_side_by_side(rows)
    for title, load in (("this blog", ours), ("plain Material", plain)):
        print(f"\n  requests, {title} ({load.page}):")
        print(f"    {'type':10} {'as sent':>9} {'decoded':>9}")
        for fetch in load.fetches:
            flag = "" if fetch.status < 400 else f"  HTTP {fetch.status}"
            print(f"    {fetch.kind:10} {kb(fetch.wire):>9} {kb(fetch.raw):>9}  {fetch.url}{flag}")


# ---------------------------------------------------------------------------- lighthouse


def ensure_lighthouse() -> None:
    package = NODE_DIR / "node_modules" / "lighthouse" / "package.json"
    if package.is_file() and json.loads(package.read_text())["version"] == LIGHTHOUSE_VERSION:
        return
    argv = ["npm", "install", "--prefix", str(NODE_DIR), "--no-audit", "--no-fund"]
    argv.append(f"lighthouse@{LIGHTHOUSE_VERSION}")
    print(f"installing Lighthouse: {shlex.join(argv)}", flush=True)
    subprocess.run(argv, check=True, timeout=600, capture_output=True)  # noqa: S603 - argv list


def lighthouse_argv(url: str, output: Path) -> list[str]:
    return [
        str(LIGHTHOUSE),
        url,
        "--quiet",
        "--output=json",
        f"--output-path={output}",
        f"--only-categories={','.join(CATEGORIES)}",
        "--chrome-flags=--headless " + " ".join(CHROMIUM_ARGS),
    ]


@dataclass
class Report:
    scores: dict[str, int]
    failing: dict[str, list[str]]  # category -> audits that lost points


def lighthouse(url: str, output: Path) -> Report:
    subprocess.run(  # noqa: S603 - argv list, no shell
        lighthouse_argv(url, output),
        env={**os.environ, "CHROME_PATH": str(CHROMIUM)},
        check=True,
        timeout=LIGHTHOUSE_TIMEOUT_S,
        capture_output=True,
    )
    result = json.loads(output.read_text(encoding="utf-8"))
    scores, failing = {}, {}
    for name in CATEGORIES:
        category = result["categories"][name]
        scores[name] = round(category["score"] * 100)
        failing[name] = [
            f"{ref['id']} ({result['audits'][ref['id']].get('displayValue') or 'failed'})"
            for ref in category["auditRefs"]
            if ref["weight"] > 0
            and result["audits"][ref["id"]]["score"] is not None
            and result["audits"][ref["id"]]["score"] < 1
        ]
    return Report(scores, failing)


def median_scores(url: str, runs: int, work: Path, label: str) -> tuple[dict[str, int], set]:
    reports = [lighthouse(url, work / f"{label}-{index}.json") for index in range(runs)]
    medians = {
        name: int(statistics.median(report.scores[name] for report in reports))
        for name in CATEGORIES
    }
    failing = {
        audit for report in reports for audits in report.failing.values() for audit in audits
    }
    print(f"  {label:16}", "  ".join(f"{name} {medians[name]:3}" for name in CATEGORIES))
    for index, report in enumerate(reports):
        runs_line = " ".join(f"{report.scores[name]:3}" for name in CATEGORIES)
        print(f"    run {index + 1}: {runs_line}")
    return medians, failing


# ---------------------------------------------------------------------------- budget


def budget(scores: dict[str, int], load: Load) -> bool:
    requests = load.count(TEXT_TYPES + ("font", "fetch", "xhr", "other", "manifest", "media"))
    theme = load.total("wire", ("stylesheet", "script"))
    document = load.total("wire", ("document",))
    checks = [
        *(
            (f"Lighthouse {name} {scores[name]} >= {MIN_SCORE}", scores[name] >= MIN_SCORE)
            for name in CATEGORIES
        ),
        (
            f"requests besides images {requests} <= {MAX_REQUESTS_BESIDES_IMAGES}",
            requests <= MAX_REQUESTS_BESIDES_IMAGES,
        ),
        (
            f"CSS+JS gzip {kb(theme)} <= {kb(MAX_GZIP_THEME_BYTES)}",
            theme <= MAX_GZIP_THEME_BYTES,
        ),
        (
            f"HTML gzip {kb(document)} <= {kb(MAX_GZIP_DOCUMENT_BYTES)}",
            document <= MAX_GZIP_DOCUMENT_BYTES,
        ),
        (
            f"everything as sent {kb(load.total('wire'))} <= {kb(MAX_WIRE_BYTES)}",
            load.total("wire") <= MAX_WIRE_BYTES,
        ),
        (f"requests off 127.0.0.1 {len(load.off_host())} == 0", not load.off_host()),
        (f"HTTP errors {len(load.failed())} == 0", not load.failed()),
    ]
    return bench_site.report_budget(checks)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="Lighthouse runs per page (default 3)")
    args = parser.parse_args()
    if not CHROMIUM.is_file():
        parser.error(f"no Chromium at {CHROMIUM} (Debian: apt-get install chromium)")
    if shutil.which("npm") is None or shutil.which("node") is None:
        # tests/support/packages.txt says why Node.js is not in the package lists.
        parser.error("Lighthouse needs Node.js and npm (Debian 12: apt-get install nodejs npm)")

    ensure_lighthouse()
    chromium_version = subprocess.run(  # noqa: S603 - argv list, no shell
        [str(CHROMIUM), "--version"], capture_output=True, text=True, check=True, timeout=60
    ).stdout.strip()
    print(
        f"reproduce: cd {REPO} && .venv/bin/python tools/bench/bench_browser.py --runs {args.runs}"
    )
    print(f"machine: {platform.platform()}, {os.cpu_count()} CPUs")
    print(f"tools: Lighthouse {LIGHTHOUSE_VERSION} (mobile preset); {chromium_version}")
    print(
        f"lighthouse: CHROME_PATH={CHROMIUM} {shlex.join(lighthouse_argv('<url>', Path('<out>')))}"
    )

    with tempfile.TemporaryDirectory(prefix="bench-browser-") as tmp:
        work = Path(tmp)
        ours_site = build_article_site(work)
        plain_site = bench_site.build_plain_blog(work)
        with serve(ours_site, compress=True) as ours, serve(plain_site, compress=True) as plain:
            print("served: production builds, gzip level 6 for text, 404.html for missing paths\n")
            print(f"Lighthouse, median of {args.runs} runs (mobile):")
            scores, failing = median_scores(ours.url + PAGE, args.runs, work, "this blog")
            median_scores(plain.url + PAGE, args.runs, work, "plain Material")
            if failing:
                print(f"  audits losing points on this blog: {', '.join(sorted(failing))}")

            with chromium() as browser:
                ours_load = first_load(browser, ours.url + PAGE)
                plain_load = first_load(browser, plain.url + PAGE)

    print("\nfirst load of the article page in Chromium (empty cache, 412x823 mobile screen):")
    print_loads(ours_load, plain_load)
    print(
        f"\nbudget for this blog (Lighthouse {MIN_SCORE} in every category, <= "
        f"{MAX_REQUESTS_BESIDES_IMAGES} requests besides images, gzip CSS+JS <= "
        f"{kb(MAX_GZIP_THEME_BYTES)} and HTML <= {kb(MAX_GZIP_DOCUMENT_BYTES)}, <= "
        f"{kb(MAX_WIRE_BYTES)} in all, nothing off 127.0.0.1):"
    )
    return 0 if budget(scores, ours_load) else 1


if __name__ == "__main__":
    sys.exit(main())
