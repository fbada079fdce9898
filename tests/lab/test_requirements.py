"""`#lab: requires` skips a transcript, with its reason, where the machine lacks what it needs."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from labrun import cli, run, transcript, update
from testkit.policy import skip_kernel_lacks

NEEDS_ROOT = "#lab: requires root\n$ true\n"


def test_a_rootless_sandbox_skips_a_transcript_that_requires_root(
    write_transcript: Callable[[str, str], Path], fixture_lab: Path
) -> None:
    parsed = transcript.load(write_transcript("root.console", NEEDS_ROOT))
    reason = run.missing_requirement(parsed, fixture_lab, use_userns=True)
    assert reason is not None
    assert "requires root" in reason
    assert "sudo lab/replay" in reason


def test_a_root_sandbox_runs_it(
    write_transcript: Callable[[str, str], Path], fixture_lab: Path
) -> None:
    parsed = transcript.load(write_transcript("root.console", NEEDS_ROOT))
    assert run.missing_requirement(parsed, fixture_lab, use_userns=False) is None


# A link type no kernel has: the kernel-lacks path, whatever kernel runs the tests.
NEEDS_KERNEL_FEATURE = "#lab: requires kernel:nosuchlinktype\n$ true\n"


def test_a_kernel_requirement_is_not_a_missing_package(
    write_transcript: Callable[[str, str], Path], fixture_lab: Path
) -> None:
    parsed = transcript.load(write_transcript("kernel.console", NEEDS_KERNEL_FEATURE))
    assert parsed.requires == ["kernel:nosuchlinktype"]
    assert run.missing_requirement(parsed, fixture_lab) is None


def test_a_kernel_without_the_link_type_skips_saying_so(
    write_transcript: Callable[[str, str], Path], fixture_lab: Path, sandbox_works: None
) -> None:
    outcome = run.replay(
        transcript.load(write_transcript("kernel.console", NEEDS_KERNEL_FEATURE)), fixture_lab
    )
    assert outcome.kernel_lacks
    assert outcome.skipped is not None
    assert "requires kernel:nosuchlinktype" in outcome.skipped
    assert "the test VM runs it" in outcome.skipped
    assert not outcome.commands  # skipped before anything ran


def test_a_kernel_with_the_link_type_runs_the_transcript(
    write_transcript: Callable[[str, str], Path], fixture_lab: Path, sandbox_works: None
) -> None:
    text = "#lab: requires kernel:veth\n$ echo ran\nran\n"
    outcome = run.replay(transcript.load(write_transcript("veth.console", text)), fixture_lab)
    assert (outcome.ok, outcome.kernel_lacks, outcome.skipped) == (True, False, None)


def test_lab_replay_fails_where_the_kernel_lacks_it_so_the_vm_never_skips(
    write_transcript: Callable[[str, str], Path], fixture_lab: Path, sandbox_works: None
) -> None:
    path = write_transcript("kernel.console", NEEDS_KERNEL_FEATURE)
    status, verdict = cli.replay_one(
        path, fixture_lab, fixture_lab.parent / "docs", update.Mode.CHECK, run.DEFAULT_TIMEOUT
    )
    assert status == cli.EXIT_BAD_INPUT
    assert "SKIPPED" in verdict
    assert "requires kernel:nosuchlinktype" in verdict


@pytest.mark.parametrize("item", ["kernel:", "kernel:Bad-Type", "kernel:ipip;"])
def test_a_kernel_requirement_needs_a_link_type(
    write_transcript: Callable[[str, str], Path], item: str
) -> None:
    path = write_transcript("bad.console", f"#lab: requires {item}\n$ true\n")
    with pytest.raises(transcript.TranscriptError, match="kernel:TYPE needs a link type"):
        transcript.load(path)


@pytest.mark.parametrize(
    ("probe_said", "lacks"),
    [
        ("Error: Unknown device type.", True),  # this machine's kernel, built without ipip
        ("RTNETLINK answers: File exists", False),  # Debian's: the module's tunl0 is there
    ],
)
def test_a_probe_that_collides_with_the_modules_fallback_device_finds_the_type(
    write_transcript: Callable[[str, str], Path],
    fixture_lab: Path,
    monkeypatch: pytest.MonkeyPatch,
    probe_said: str,
    lacks: bool,
) -> None:
    monkeypatch.setattr(
        run, "_probe_link", lambda kind, lab_dir: f"links of type '{kind}': {probe_said}"
    )
    parsed = transcript.load(
        write_transcript("ipip.console", "#lab: requires kernel:ipip\n$ true\n")
    )
    assert (run.missing_kernel_feature(parsed, fixture_lab) is not None) == lacks


def test_in_ci_a_kernel_without_the_feature_still_skips(monkeypatch: pytest.MonkeyPatch) -> None:
    """No package adds a link type to a kernel, so CI cannot be told to install it: the skip
    stays a skip there, and the VM suite (lab/replay) is where the transcript must pass."""
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.skip.Exception, match="requires kernel:ipip"):
        skip_kernel_lacks("requires kernel:ipip")
