"""What the site publishes stays within GitHub Pages' limits, as budgets.toml [pages] sets them:
tools/bench/bench_published.py fails on a file over the per-file budget, and the browser lab's
image, published as the Pages build publishes it, passes.
"""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

import browser_lab_files
import image
from testkit.lab_site import image_folder
from testkit.paths import REPO
from testkit.policy import skip_or_fail

SCRIPT = REPO / "tools" / "bench" / "bench_published.py"
PAGES = tomllib.loads((REPO / "tools" / "bench" / "budgets.toml").read_text(encoding="utf-8"))[
    "pages"
]


def bench(site: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(SCRIPT), str(site)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def small_site(folder: Path) -> Path:
    (folder / "lab" / "browser").mkdir(parents=True)
    (folder / "index.html").write_text("<!doctype html><title>t</title>\n")
    (folder / "lab" / "browser" / "fs.json").write_text("{}\n")
    return folder


def test_a_site_within_the_budgets_passes(tmp_path: Path) -> None:
    result = bench(small_site(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "lab/browser        1 files" in result.stdout
    assert "PASS" in result.stdout


def test_a_file_over_the_per_file_budget_fails_naming_it(tmp_path: Path) -> None:
    site = small_site(tmp_path)
    with (site / "lab" / "browser" / "state.bin.zst").open("wb") as big:
        big.truncate(PAGES["max_file_bytes"] + 1)  # sparse: no disk written
    result = bench(site)
    assert result.returncode == 1, result.stdout
    assert "FAIL lab/browser/state.bin.zst is over" in result.stdout


@pytest.mark.browserlab
def test_the_published_browser_lab_is_within_the_budgets(tmp_path: Path) -> None:
    folder = image_folder()
    if not image.is_built(folder):
        skip_or_fail(f"the image is not built: {folder} (sudo make browser-lab-image)")
    site = small_site(tmp_path)
    browser_lab_files.publish(
        folder,
        REPO / "node_modules" / "v86",
        browser_lab_files.SEABIOS,
        site / browser_lab_files.FOLDER,
    )
    result = bench(site)
    assert result.returncode == 0, result.stdout
