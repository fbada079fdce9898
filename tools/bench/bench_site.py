"""Print the blog's build time and first-load weight, next to Hugo and a plain Material blog.

A script, not a test: it prints figures and a PASS/FAIL budget line, and exits 1 on FAIL.

Build time: the median wall time of N runs of ``mkdocs build`` for the whole site, and of
Debian's ``hugo`` for the same posts with the minimal layout of tests/hugo/site/ (the one the
Hugo compatibility test checks), both without and with drafts.

First load: each post page of the production build (drafts left out: what readers get) and
the same post of a fresh Material blog serving the same content, built in the same run:
``theme.font: false``, Material's defaults otherwise (no palette toggle, no copy buttons, no
extra CSS or JavaScript: this blog's features must pay for themselves), the Markdown extensions
the posts are written with (admonitions, content tabs, Pygments highlighting through
pymdownx.highlight and superfences: Material's documented setup for code blocks), and every
published post, made of its Markdown with the ``--8<--`` includes written out, so both pages
show the same code. The same content means the posts' front matter too, in Material's own keys:
``summary`` is the ``description``, ``categories`` are the blog's categories, ``tags`` go
through Material's tags plugin (the only way Material shows a page's tags), and the cover and
the images are shown, from a copy of img/ (the cover as the post's first image). Requests are
what a browser fetches on first load, found by parsing: the document, stylesheets, scripts,
images (the favicon
included), preloads, ``url()``/``@import`` in the loaded CSS (fonts), and, from Material's
``__config``, the search worker and search index that bundle.js fetches at startup when the
page has a search form; a preconnect or dns-prefetch to another host counts as an external
request. A URL counts once. Bytes are HTML+CSS+JS, raw and gzip (level 6);
images, fonts and JSON are counted as requests and shown apart.

Usage, from the repository root: .venv/bin/python tools/bench/bench_site.py [--runs 5]
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import platform
import re
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import yaml
from bs4 import BeautifulSoup, Tag
from budgets import budget  # beside this script

from hugo_front_matter import FrontMatterError, split_front_matter
from testkit import hugo_site
from testkit.console_blocks import shown_instead
from testkit.paths import REPO

MKDOCS = REPO / ".venv" / "bin" / "mkdocs"
POSTS_DIR = REPO / "docs" / "posts"
IMAGES_DIR = REPO / "img"
BUILD_TIMEOUT_S = 300
GZIP_LEVEL = 6

MAX_REQUESTS = budget("site", "max_requests")
MAX_BUILD_S = budget("site", "max_build_s")
# Weight has no absolute budget: Material's own CSS, JavaScript and search index come before a
# word of the post, so the target is relative: no heavier than plain Material serving the same
# content.
TEXT_KINDS = ("html", "css", "js")

# Quiet MkDocs' banner about MkDocs 2; it changes neither the build nor its time.
QUIET_ENV = {"NO_MKDOCS_2_WARNING": "1"}

CSS_URL = re.compile(r"""url\(\s*(['"]?)(.*?)\1\s*\)""", re.IGNORECASE)
CSS_IMPORT = re.compile(r"""@import\s+(['"])(.*?)\1""", re.IGNORECASE)
KIND_BY_SUFFIX = {
    ".html": "html",
    ".css": "css",
    ".js": "js",
    ".json": "json",
    ".woff": "font",
    ".woff2": "font",
    ".ttf": "font",
    ".otf": "font",
    ".eot": "font",
    ".png": "img",
    ".jpg": "img",
    ".jpeg": "img",
    ".svg": "img",
    ".gif": "img",
    ".webp": "img",
    ".avif": "img",
    ".ico": "img",
}
PLAIN_MKDOCS_YML = """\
site_name: Plain Material blog
site_url: https://plain.example.org/
theme:
  name: material
  font: false
plugins:
  - search
  - tags
  - blog:
      blog_dir: .
      post_url_format: "posts/{file}"
markdown_extensions:
  - admonition
  - attr_list
  - md_in_html
  - footnotes
  - tables
  - toc:
      permalink: true
  - pymdownx.details
  - pymdownx.highlight
  - pymdownx.inlinehilite
  - pymdownx.superfences
  - pymdownx.tabbed:
      alternate_style: true
"""


# ---------------------------------------------------------------------------- build time


def run(argv: list[str], *, env: dict[str, str] | None = None) -> None:
    subprocess.run(  # noqa: S603 - argv list, no shell
        argv,
        cwd=REPO,
        env={**os.environ, **QUIET_ENV, **(env or {})},
        check=True,
        capture_output=True,
        timeout=BUILD_TIMEOUT_S,
    )


def median_seconds(build: Callable[[Path], None], runs: int, workdir: Path) -> float:
    """Median wall time of ``build(destination)``, each run into a fresh destination."""
    times = []
    for index in range(runs):
        destination = workdir / f"run-{index}"
        start = time.perf_counter()
        build(destination)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def mkdocs_argv(destination: Path, config: Path | None = None) -> list[str]:
    argv = [str(MKDOCS), "build", "--quiet", "-d", str(destination)]
    return argv if config is None else [*argv, "-f", str(config)]


def mkdocs_build(destination: Path, *, drafts: bool, cache: bool = True) -> None:
    """The site's build; with ``cache``, over the repository's .cache/build/ (warm: the bench
    builds once before measuring), else with the cache off (hooks/content_cache.py)."""
    env = {"BLOG_DRAFTS": "true" if drafts else "false"}
    if not cache:
        env["MKDOCS_BUILD_CACHE"] = "off"
    run(mkdocs_argv(destination), env=env)


def shown(argv: list[str], env: dict[str, str] | None = None) -> str:
    prefix = " ".join(f"{key}={value}" for key, value in {**QUIET_ENV, **(env or {})}.items())
    return f"{prefix} {shlex.join(argv)}"


# ---------------------------------------------------------------------------- first load


@dataclass
class Request:
    url: str
    kind: str
    raw: int = 0
    gzip: int = 0
    external: bool = False
    missing: bool = False


@dataclass
class FirstLoad:
    page: str
    requests: dict[str, Request] = field(default_factory=dict)

    def text_bytes(self) -> tuple[int, int]:
        text = [r for r in self.requests.values() if r.kind in TEXT_KINDS]
        return sum(r.raw for r in text), sum(r.gzip for r in text)

    def other_bytes(self) -> int:
        return sum(r.raw for r in self.requests.values() if r.kind not in TEXT_KINDS)

    def external(self) -> list[str]:
        return sorted(url for url, r in self.requests.items() if r.external)

    def missing(self) -> list[str]:
        return sorted(url for url, r in self.requests.items() if r.missing)


class Loader:
    """Resolve what a browser fetches from a built site published at ``base_url``."""

    def __init__(self, site_dir: Path, base_url: str) -> None:
        self.site_dir = site_dir
        split = urlsplit(base_url)
        self.host = split.hostname
        self.prefix = split.path if split.path.endswith("/") else split.path + "/"

    def fetch(self, load: FirstLoad, url: str, kind: str | None = None) -> bytes | None:
        """Record a request for ``url``; return its body when it is one of the site's files."""
        url = url.split("#", 1)[0]
        if url in load.requests or url.startswith("data:"):
            return None
        split = urlsplit(url)
        suffix = Path(split.path).suffix.lower()
        request = Request(
            url, kind or KIND_BY_SUFFIX.get(suffix, "html" if not suffix else "other")
        )
        load.requests[url] = request
        if split.hostname != self.host or not split.path.startswith(self.prefix):
            request.external = True
            return None
        path = self.site_dir / split.path[len(self.prefix) :]
        if split.path.endswith("/"):
            path = path / "index.html"
        if not path.is_file():
            request.missing = True
            return None
        body = path.read_bytes()
        request.raw = len(body)
        request.gzip = len(gzip.compress(body, compresslevel=GZIP_LEVEL, mtime=0))
        return body

    def fetch_css(self, load: FirstLoad, url: str) -> None:
        body = self.fetch(load, url, "css")
        if body is None:
            return
        self.fetch_css_references(load, url, body.decode("utf-8", "replace"))

    def fetch_css_references(self, load: FirstLoad, base: str, css: str) -> None:
        for _, target in CSS_IMPORT.findall(css):
            self.fetch_css(load, urljoin(base, target))
        for _, target in CSS_URL.findall(css):
            if not target.startswith("data:"):
                self.fetch(load, urljoin(base, target))

    def first_load(self, page_url: str) -> FirstLoad:
        load = FirstLoad(page_url)
        document = self.fetch(load, page_url, "html")
        if document is None:
            raise FileNotFoundError(f"{page_url} is not in {self.site_dir}")
        soup = BeautifulSoup(document.decode("utf-8"), "html.parser")
        for link in soup.find_all("link", href=True):
            rel = {value.lower() for value in link.get("rel", [])}
            url = urljoin(page_url, link["href"])
            if "stylesheet" in rel:
                self.fetch_css(load, url)
            elif rel & {"icon", "preload", "modulepreload", "manifest"}:
                self.fetch(load, url, "js" if "modulepreload" in rel else None)
            elif rel & {"preconnect", "dns-prefetch"} and urlsplit(url).hostname != self.host:
                self.fetch(load, url, "connection")
        for style in soup.find_all("style"):
            self.fetch_css_references(load, page_url, style.get_text())
        for script in soup.find_all("script", src=True):
            self.fetch(load, urljoin(page_url, script["src"]), "js")
        for img in soup.find_all("img"):
            # A lazy image is fetched when the reader scrolls near it, not on first load (a
            # static parser cannot tell which ones are on the first screen: none is counted).
            if img.get("loading") == "lazy":
                continue
            self.fetch(load, urljoin(page_url, image_choice(img)), "img")
        self.fetch_material_startup(load, soup, page_url)
        return load

    def fetch_material_startup(self, load: FirstLoad, soup: BeautifulSoup, page_url: str) -> None:
        """Material's bundle.js starts the search worker and fetches the index on load."""
        config = soup.find("script", id="__config")
        if config is None or soup.find("form", attrs={"name": "search"}) is None:
            return
        settings = json.loads(config.get_text())
        base = urljoin(page_url, settings["base"].rstrip("/") + "/")
        if settings.get("search"):
            self.fetch(load, urljoin(page_url, settings["search"]), "js")
        self.fetch(load, urljoin(base, "search/search_index.json"), "json")


def image_choice(img: Tag) -> str:
    """The one file a current browser on a phone fetches for an ``<img>``.

    In a ``<picture>``, the first ``<source>`` (every current browser reads WebP, the type
    hooks/webp_images.py offers); from a ``srcset``, its first candidate, the smallest (the
    hook lists them smallest first, and a phone takes it); else ``src``.
    """
    source = img.parent.find("source") if img.parent and img.parent.name == "picture" else None
    srcset = (source or img).get("srcset")
    if srcset:
        return srcset.split(",")[0].split()[0]
    return img["src"]


def canonical_base(page: Path, fallback: str) -> str:
    """The site's own origin, from the page's canonical link (site_url)."""
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    link = soup.find("link", rel="canonical")
    if link is None:
        return fallback
    split = urlsplit(link["href"])
    return f"{split.scheme}://{split.netloc}/"


def measure_page(site_dir: Path, page_path: str) -> FirstLoad:
    page = site_dir / page_path / "index.html"
    base = canonical_base(page, "https://site.invalid/")
    return Loader(site_dir, base).first_load(urljoin(base, page_path + "/"))


def front_matter(markdown: str, where: Path) -> tuple[dict[str, Any], str]:
    """A post's Hugo front matter and its body, read as the site's hook reads them."""
    try:
        meta, body = split_front_matter(markdown, str(where))
    except FrontMatterError as error:
        raise ValueError(f"{where}: no readable front matter ({error})") from error
    if not isinstance(meta, dict) or "title" not in meta or "date" not in meta:
        raise ValueError(f"{where}: front matter without a title or a date")
    return meta, body


def published_posts() -> list[Path]:
    """The posts readers get: every post whose front matter is not a draft."""
    posts = sorted(POSTS_DIR.glob("*.md"))
    return [
        post for post in posts if not front_matter(post.read_text("utf-8"), post)[0].get("draft")
    ]


def plain_post(markdown: str, where: Path) -> str:
    """A post in Material's own front matter keys, without the fences' attributes
    (``{.noexec ...}``: this blog's own feature)."""
    meta, body = front_matter(markdown, where)
    material = {"date": meta["date"]}
    if meta.get("summary"):
        material["description"] = meta["summary"]
    for key in ("categories", "tags"):
        if meta.get(key):
            material[key] = list(meta[key])
    cover = meta.get("cover") or {}
    shown_cover = cover.get("image") and not cover.get("hidden")
    lines = [
        "---",
        yaml.safe_dump(material, allow_unicode=True, sort_keys=False).strip(),
        "---",
        "",
        f"# {meta['title']}",
        "",
        *([f"![{cover.get('alt', '')}]({cover['image']})", ""] if shown_cover else []),
    ]
    lines += [
        re.sub(r"^(\s*`{3,}\w*)\s*\{.*\}\s*$", r"\1", line)
        for line in body.splitlines()
        if not line.lstrip().startswith("--8<--")
    ]
    return "\n".join(lines) + "\n"


def inline_snippets(markdown: str, project: Path) -> str:
    """The article with every ``--8<--`` include replaced by what it includes, indent kept."""
    lines = []
    for number, line in enumerate(markdown.splitlines(), start=1):
        stripped = line.lstrip()
        indent = line[: len(line) - len(stripped)]
        shown = shown_instead(project, stripped, f"article line {number}")
        lines.extend(indent + shown_line for shown_line in shown)
    return "\n".join(lines) + "\n"


def build_plain_blog(workdir: Path) -> Path:
    """A fresh Material blog holding the published posts, code blocks filled in; its site."""
    project = workdir / "plain-material-blog"
    (project / "docs" / "posts").mkdir(parents=True)
    (project / "mkdocs.yml").write_text(PLAIN_MKDOCS_YML, encoding="utf-8")
    (project / "docs" / "index.md").write_text("# Blog\n", encoding="utf-8")
    # Hugo's layout: posts link ../img/..., so img/ sits beside posts/ in docs/.
    shutil.copytree(IMAGES_DIR, project / "docs" / "img")
    for source in published_posts():
        post = plain_post(inline_snippets(source.read_text(encoding="utf-8"), REPO), source)
        (project / "docs" / "posts" / source.name).write_text(post, encoding="utf-8")
    site = project / "site"
    run(mkdocs_argv(site, project / "mkdocs.yml"))
    return site


# ---------------------------------------------------------------------------- report


def kb(size: int) -> str:
    return f"{size / 1000:.1f} kB"


def print_side_by_side(rows: list[tuple[str, object, object]]) -> None:
    """One line per figure: its name, this blog's value, plain Material's."""
    print(f"  {'':24} {'this blog':>14} {'plain Material':>16}")
    for name, mine, theirs in rows:
        print(f"  {name:24} {mine!s:>14} {theirs!s:>16}")


def version(argv: list[str]) -> str:
    result = subprocess.run(  # noqa: S603 - argv list, no shell
        argv, capture_output=True, text=True, check=True, timeout=60
    )
    return result.stdout.strip().splitlines()[0]


def print_first_load(ours: FirstLoad, plain: FirstLoad) -> None:
    rows = [
        ("requests", len(ours.requests), len(plain.requests)),
        ("HTML+CSS+JS raw", kb(ours.text_bytes()[0]), kb(plain.text_bytes()[0])),
        ("HTML+CSS+JS gzip", kb(ours.text_bytes()[1]), kb(plain.text_bytes()[1])),
        ("images/fonts/JSON raw", kb(ours.other_bytes()), kb(plain.other_bytes())),
        ("external requests", len(ours.external()), len(plain.external())),
    ]
    print_side_by_side(rows)
    for title, load in (("this blog", ours), ("plain Material", plain)):
        print(f"\n  requests, {title} ({load.page}):")
        for request in load.requests.values():
            flag = " EXTERNAL" if request.external else " MISSING" if request.missing else ""
            sizes = f"{kb(request.raw):>9} {kb(request.gzip):>9}"
            print(f"    {request.kind:5} {sizes}  {request.url}{flag}")


def page_checks(page: str, load: FirstLoad) -> list[tuple[str, bool]]:
    """One page's own budget: requests, nothing from elsewhere, nothing missing."""
    count = len(load.requests)
    return [
        (f"{page}: requests {count} <= {MAX_REQUESTS}", count <= MAX_REQUESTS),
        (f"{page}: external requests {len(load.external())} == 0", not load.external()),
        (f"{page}: missing files {len(load.missing())} == 0", not load.missing()),
    ]


def report_budget(checks: list[tuple[str, bool]]) -> bool:
    """Print one PASS/FAIL line per (description, passed) check and the verdict; return it."""
    for text, ok in checks:
        print(f"  {'PASS' if ok else 'FAIL'}  {text}")
    passed = all(ok for _, ok in checks)
    print(f"  budget: {'PASS' if passed else 'FAIL'}")
    return passed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="builds per median (default 5)")
    args = parser.parse_args()
    if hugo_site.hugo_binary() is None:
        parser.error("hugo is not installed (Debian: apt-get install hugo)")

    print(f"reproduce: cd {REPO} && .venv/bin/python tools/bench/bench_site.py --runs {args.runs}")
    print(
        f"machine: {platform.platform()}, {os.cpu_count()} CPUs, Python {platform.python_version()}"
    )
    print(f"tools: {version([str(MKDOCS), '--version'])}; {version(['hugo', 'version'])}\n")

    with tempfile.TemporaryDirectory(prefix="bench-site-") as tmp:
        work = Path(tmp)
        hugo = hugo_site.prepare_site(work)
        plain_site = build_plain_blog(work)
        plain_config = plain_site.parent / "mkdocs.yml"
        print(f"build time, median of {args.runs} runs (wall clock, each into a fresh directory):")
        mkdocs_build(work / "warm-up", drafts=True)  # fills .cache/build/ if it was empty
        plain_s = median_seconds(
            lambda d: run(mkdocs_argv(d, plain_config)), args.runs, work / "plain"
        )
        print(f"  {'':16} {'mkdocs':>8} {'cold':>8} {'plain':>8} {'hugo':>8}   ratios")
        warm_published = 0.0
        for label, slug, drafts in (
            ("published only", "published", False),
            ("with drafts", "drafts", True),
        ):
            mk = median_seconds(
                lambda d, drafts=drafts: mkdocs_build(d, drafts=drafts),
                args.runs,
                work / f"mkdocs-{slug}",
            )
            cold = median_seconds(
                lambda d, drafts=drafts: mkdocs_build(d, drafts=drafts, cache=False),
                args.runs,
                work / f"mkdocs-cold-{slug}",
            )
            hu = median_seconds(
                lambda d, drafts=drafts: hugo_site.build(hugo, d, drafts=drafts),
                args.runs,
                work / f"hugo-{slug}",
            )
            warm_published = warm_published or mk
            figures = f"{mk:6.2f} s {cold:6.2f} s {plain_s:6.2f} s {hu:6.2f} s"
            ratios = f"{mk / plain_s:4.1f}x plain, {mk / hu:5.1f}x hugo"
            print(f"  {label:16} {figures}   {ratios}")
        print("  mkdocs: this site with the build cache a previous build left (the author's case);")
        print("  cold: MKDOCS_BUILD_CACHE=off; plain: plain Material holding the same posts")
        print("  commands:")
        print(f"    {shown(mkdocs_argv(Path('<tmpdir>')))}")
        print(f"    {shown(mkdocs_argv(Path('<tmpdir>')), {'BLOG_DRAFTS': 'true'})}")
        hugo_argv = hugo_site.hugo_command(Path("<hugo-site>"), Path("<tmpdir>"), drafts=True)
        print(f"    {shlex.join(hugo_argv)}  (without --buildDrafts for published posts)")
        print("    <hugo-site> = tests/hugo/site/ + docs/posts/*.md in content/posts/ + img/ in")
        print("    static/img/ (tests/hugo/hugo_site.py)\n")

        ours_dir = work / "mkdocs-published" / "run-0"
        loads = [
            (page, measure_page(ours_dir, page), measure_page(plain_site, page))
            for page in (f"posts/{post.stem}" for post in published_posts())
        ]

    for page, ours, plain in loads:
        print(f"first load of {page}/ (the production build, drafts left out):")
        print_first_load(ours, plain)
        print()
    print(
        f"budget for this blog (each post: <= plain Material's gzip HTML+CSS+JS, "
        f"<= {MAX_REQUESTS} requests, no external request; tools/bench/budgets.toml):"
    )
    checks = [
        (
            f"mkdocs build {warm_published:.2f} s <= {MAX_BUILD_S:.2f} s (published, median)",
            warm_published <= MAX_BUILD_S,
        )
    ]
    for page, ours, plain in loads:
        ours_gzip, plain_gzip = ours.text_bytes()[1], plain.text_bytes()[1]
        checks.append(
            (
                f"{page}: gzip {ours_gzip:,} B <= plain Material's {plain_gzip:,} B",
                ours_gzip <= plain_gzip,
            )
        )
        checks += page_checks(page, ours)
    return 0 if report_budget(checks) else 1


if __name__ == "__main__":
    sys.exit(main())
