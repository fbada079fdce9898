"""Print how long `mkdocs serve` takes from a saved edit to the page showing it.

A script, not a test: it prints figures and a PASS/FAIL line against the target, and exits 1 on
FAIL.

The author's loop: save a transcript (or the post), the preview rebuilds, the browser reloads
the page. Measured here with a real HTTP client on 127.0.0.1: ``mkdocs serve`` runs on a copy
of the sources (testkit/site_build.py), each round writes a new token into the copy, the
clock starts when the file is saved and closed, and stops when a GET of the article page
(every 20 ms) returns HTML holding the token: detection, rebuild and serving, all of it. The
browser's own reload (livereload's long poll answers at once when the build is done) adds a
page load on top, the same for both sites.

Edits: a comment appended to a command of a transcript the article includes, and a paragraph
appended to the post. Beside them, the same post edit on a plain Material blog of the same
Markdown (tools/bench/bench_site.py's), served the same way.

Usage, from the repository root: .venv/bin/python tools/bench/bench_serve.py [--runs 5]
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import bench_site  # beside this script
from budgets import budget

import snippets_grammar
from testkit.paths import REPO
from testkit.site_build import ARTICLE, SLUG, copy_sources

MKDOCS = REPO / ".venv" / "bin" / "mkdocs"
TARGET_S = budget("serve", "max_rebuild_s")
STARTUP_TIMEOUT_S = 120
EDIT_TIMEOUT_S = 30
POLL_S = 0.02
SETTLE_S = 0.5  # between rounds: the watcher's last snapshot must predate the next edit


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - 127.0.0.1 only
            return response.read().decode("utf-8", "replace")
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return None


@contextmanager
def serving(project: Path, config: Path | None = None) -> Iterator[str]:
    """`mkdocs serve` of ``project`` on a free port of 127.0.0.1; ended by its PID."""
    port = free_port()
    argv = [str(MKDOCS), "serve", "--dev-addr", f"127.0.0.1:{port}"]
    if config is not None:
        argv += ["-f", str(config)]
    server = subprocess.Popen(  # noqa: S603 - argv list, no shell
        argv,
        cwd=project,
        env={**os.environ, **bench_site.QUIET_ENV},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + STARTUP_TIMEOUT_S
        while get(url) is None:
            if server.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"mkdocs serve did not answer on {url} (exit {server.poll()})")
            time.sleep(0.1)
        yield url
    finally:
        server.send_signal(signal.SIGINT)  # mkdocs serve's own clean shutdown
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=10)


def seconds_to_show(page_url: str, edit: Callable[[str], None], token: str) -> float:
    """Seconds from ``edit(token)`` having saved its file to ``page_url`` showing ``token``."""
    edit(token)
    started = time.perf_counter()
    deadline = started + EDIT_TIMEOUT_S
    while time.perf_counter() < deadline:
        body = get(page_url)
        if body is not None and token in body:
            return time.perf_counter() - started
        time.sleep(POLL_S)
    raise RuntimeError(f"{page_url} did not show {token!r} within {EDIT_TIMEOUT_S} s")


def median_latency(page_url: str, edit: Callable[[str], None], name: str, runs: int) -> float:
    times = []
    for index in range(runs):
        time.sleep(SETTLE_S)
        times.append(seconds_to_show(page_url, edit, f"benchedit{name}{index}x{os.getpid()}"))
    return statistics.median(times)


def rewrite(path: Path, original: str, change: Callable[[str], str]) -> Callable[[str], None]:
    """An edit that saves ``change(original)`` with the token; each round starts from the same
    text, like an author editing one line again."""

    def edit(token: str) -> None:
        path.write_text(change(original).replace("@TOKEN@", token), encoding="utf-8")

    return edit


def transcript_edit(project: Path) -> tuple[Path, Callable[[str], None]]:
    """A comment appended to the first command the article shows from its first include."""
    article = (project / ARTICLE).read_text(encoding="utf-8")
    target = next(
        (
            include.target
            for include in snippets_grammar.includes(article)
            if include.target
            and include.target.section
            and include.target.path.endswith(".console")
        ),
        None,
    )
    if target is None:
        raise RuntimeError(f"{ARTICLE} includes no transcript section")
    path = project / "lab" / target.path
    original = path.read_text(encoding="utf-8")
    start = original.index(f"[start:{target.section}]")
    command = original.index("\n$ ", start) + 1
    end = original.index("\n", command)

    def change(text: str) -> str:
        return text[:end] + " # @TOKEN@" + text[end:]

    return path, rewrite(path, original, change)


def post_edit(post: Path) -> Callable[[str], None]:
    original = post.read_text(encoding="utf-8")
    return rewrite(post, original, lambda text: text.rstrip("\n") + "\n\n@TOKEN@\n")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="edits per median (default 5)")
    args = parser.parse_args()
    print(f"reproduce: cd {REPO} && .venv/bin/python tools/bench/bench_serve.py --runs {args.runs}")
    print(f"machine: {os.cpu_count()} CPUs; {bench_site.version([str(MKDOCS), '--version'])}\n")

    with tempfile.TemporaryDirectory(prefix="bench-serve-") as tmp:
        work = Path(tmp)
        project = copy_sources(work / "blog")
        page = f"posts/{SLUG}/"
        transcript, edit_transcript = transcript_edit(project)
        with serving(project) as url:
            ours = {
                "transcript": median_latency(url + page, edit_transcript, "lab", args.runs),
                "post": median_latency(url + page, post_edit(project / ARTICLE), "post", args.runs),
            }
        plain_site = bench_site.build_plain_blog(work)
        plain_project = plain_site.parent
        plain_post = plain_project / "docs" / "posts" / f"{SLUG}.md"
        with serving(plain_project) as url:
            plain = median_latency(url + page, post_edit(plain_post), "plain", args.runs)

    print(f"mkdocs serve, saved edit -> page shows it (median of {args.runs}, HTTP GET every")
    print(f"{POLL_S * 1000:.0f} ms on 127.0.0.1; each site served from a copy of its sources):")
    print(f"  {'edit':30} {'this blog':>10} {'plain Material':>15} {'ratio':>6}")
    shown = transcript.relative_to(project)
    print(f"  {'transcript (' + shown.name + ')':30} {ours['transcript']:8.2f} s {'-':>15}")
    ratio = ours["post"] / plain
    print(
        f"  {'post (a paragraph appended)':30} {ours['post']:8.2f} s {plain:13.2f} s {ratio:5.1f}x"
    )
    worst = max(ours.values())
    verdict = "PASS" if worst <= TARGET_S else "FAIL"
    print(f"\n  {verdict}  slowest median {worst:.2f} s <= {TARGET_S:.2f} s (the preview loop)")
    return 0 if verdict == "PASS" else 1


if __name__ == "__main__":
    sys.exit(main())
