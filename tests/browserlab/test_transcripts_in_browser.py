"""Every transcript that does not declare `#lab: not-in browser` replays in the lab that runs in
the reader's browser: v86 in Chromium, restored from the image's snapshot, with lab/replay
run inside the guest (tools/browserlab/replay.py).

Slow (minutes: the guest runs about 40 times slower than this machine): marked `browserlab`,
which `make test` leaves out; `make test-browser-lab` and CI's browser-lab job run it.
Skipped with the reason where the image or a prerequisite is missing, failed when CI=true.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from testkit.paths import REPO
from testkit.policy import skip_or_fail

pytestmark = pytest.mark.browserlab

DRIVER = REPO / "tools" / "browserlab" / "replay.py"
EXIT_MISSING = 4
# The driver bounds each transcript itself (commands x its command timeout); this only
# catches a driver that fails to.
DRIVER_TIMEOUT = float(os.environ.get("BROWSERLAB_TIMEOUT", "5400"))


@pytest.fixture(scope="module")
def browser_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict, str]:
    """One emulator session for the module: its JSON report and everything it printed."""
    report_path = tmp_path_factory.mktemp("browserlab") / "report.json"
    result = subprocess.run(
        [sys.executable, str(DRIVER), "--quiet", "--report", str(report_path)],
        capture_output=True,
        text=True,
        check=False,
        timeout=DRIVER_TIMEOUT,
    )
    output = result.stdout + result.stderr
    assert report_path.is_file(), f"the driver wrote no report:\n{output}"
    report = json.loads(report_path.read_text())
    if result.returncode == EXIT_MISSING:
        skip_or_fail(report["error"])
    assert report["exit_status"] == result.returncode, output
    return report, output


def test_the_emulator_restored_the_snapshot_and_ran_to_the_end(
    browser_run: tuple[dict, str],
) -> None:
    report, output = browser_run
    assert not report["error"], f"{report['error']}\n\n{output}"
    assert report["restore_seconds"] is not None
    # The guest is the 32-bit Debian 12 the image was built from, not this machine.
    assert report["guest_machine"] == "i686", report["guest_machine"]
    assert report["guest_release"].startswith("12."), report["guest_release"]


def test_every_browser_transcript_matches_in_the_emulator(browser_run: tuple[dict, str]) -> None:
    report, output = browser_run
    failed = [result for result in report["results"] if result["exit_status"]]
    diffs = "\n\n".join(f"{result['transcript']}:\n{result['output']}" for result in failed)
    assert not failed, (
        f"{len(failed)} transcript(s) differ in the browser lab: "
        f"{', '.join(result['transcript'] for result in failed)}\n"
        f"replay one with: .venv/bin/python tools/browserlab/replay.py "
        f"{failed[0]['transcript']}\n\n{diffs}\n\n{output}"
    )


def test_the_emulator_replayed_every_transcript_not_declared_out(
    browser_run: tuple[dict, str],
) -> None:
    report, _ = browser_run
    replayed = [result["transcript"] for result in report["results"]]
    assert replayed, "no transcript was replayed in the browser"
    on_disk = sorted(str(path.relative_to(REPO)) for path in (REPO / "lab").rglob("*.console"))
    assert sorted([*replayed, *report["excluded"]]) == on_disk
