"""A test that cannot run here is skipped with its reason locally, and fails in CI (CI=true)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from testkit.paths import REPO
from testkit.policy import require_tool, skip_or_fail

SUPPORT = Path(__file__).resolve().parent

# A test whose machine lacks what it needs, as any test folder would write it.
CANNOT_RUN_HERE = """
from testkit.policy import skip_or_fail

def test_needs_what_this_machine_lacks():
    skip_or_fail("no user namespaces")
"""


def run_pytest_on(test_file: Path, *, ci: bool) -> subprocess.CompletedProcess[str]:
    """A separate pytest session over one file, as CI (CI=true) or an author (no CI) runs it."""
    env = {name: value for name, value in os.environ.items() if name != "CI"}
    env["PYTHONPATH"] = str(SUPPORT)
    if ci:
        env["CI"] = "true"
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(test_file)],
        cwd=test_file.parent,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


@pytest.fixture
def cannot_run_here(tmp_path: Path) -> Path:
    test_file = tmp_path / "test_cannot_run_here.py"
    test_file.write_text(CANNOT_RUN_HERE)
    return test_file


def test_in_ci_a_test_that_cannot_run_fails_the_session(cannot_run_here: Path) -> None:
    result = run_pytest_on(cannot_run_here, ci=True)
    assert result.returncode == pytest.ExitCode.TESTS_FAILED, result.stdout
    assert "cannot run in CI: no user namespaces" in result.stdout
    assert "1 failed" in result.stdout


def test_without_ci_the_same_test_skips_with_its_reason(cannot_run_here: Path) -> None:
    result = run_pytest_on(cannot_run_here, ci=False)
    assert result.returncode == pytest.ExitCode.OK, result.stdout
    assert "1 skipped" in result.stdout


def test_without_ci_a_missing_feature_skips_with_the_reason(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="no user namespaces"):
        skip_or_fail("no user namespaces")


def test_in_ci_a_missing_feature_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="cannot run in CI: no user namespaces"):
        skip_or_fail("no user namespaces")


def test_in_ci_a_missing_program_fails_naming_its_package(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("CI", "true")
    monkeypatch.setenv("PATH", "")
    with pytest.raises(
        pytest.fail.Exception, match=r"ruby is not installed \(apt-get install ruby"
    ):
        require_tool("ruby", "ruby")


# Calls that skip without asking the policy: in CI they would pass green.
BARE_SKIP = re.compile(r"pytest\.(skip\(|importorskip\(|mark\.skip)")


def test_every_skip_in_the_suite_goes_through_the_policy() -> None:
    policy = SUPPORT / "testkit" / "policy.py"
    bare = [
        f"{path.relative_to(REPO)}:{number}: {line.strip()}"
        for path in sorted((REPO / "tests").rglob("*.py"))
        if path not in (policy, Path(__file__).resolve())
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if BARE_SKIP.search(line)
    ]
    assert not bare, "skip through testkit.policy.skip_or_fail instead:\n" + "\n".join(bare)
