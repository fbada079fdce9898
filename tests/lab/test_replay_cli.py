"""`lab/replay`, the contract the test VM and readers rely on: exit 0 match, 1 mismatch,
2 bad input, a unified diff per mismatch pointing at the transcript and the article line."""

# Table cases read best one per line.
# ruff: noqa: E501

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from testkit.paths import LAB_DIR

GOOD = """\
#lab: note hidden setup: a veth pair with pinned and random MACs
$ ip link add veth0 address 02:00:00:00:00:0a type veth peer name veth1
$ ip link set veth0 up && ip link set veth1 up
# --8<-- [start:show]
$ ip -br link show veth1 | cut -d' ' -f1
veth1@veth0
$ ip -br link show veth0
veth0@veth1      UP             02:00:00:00:00:0a <BROADCAST,MULTICAST,UP,LOWER_UP>
$ ip -o link show veth1 | grep -o 'link/ether [0-9a-f:]*'
link/ether 02:aa:bb:cc:dd:01
$ cat /sys/class/net/veth1/address
02:aa:bb:cc:dd:01
# --8<-- [end:show]
$ false
[1]
"""
PAGE = '# Post\n\nSome prose.\n\n```console\n--8<-- "post/01-veth.console:show"\n```\n'


def replay(lab: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603
        [
            sys.executable,
            str(LAB_DIR / "replay"),
            "--lab-dir",
            str(lab),
            "--docs-dir",
            str(lab.parent / "docs"),
            *args,
        ],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


@pytest.fixture
def lab(fixture_lab: Path, sandbox_works: None) -> Path:
    (fixture_lab / "post" / "01-veth.console").write_text(GOOD)
    (fixture_lab.parent / "docs" / "post.md").write_text(PAGE)
    return fixture_lab


def transcript(lab: Path) -> Path:
    return lab / "post" / "01-veth.console"


def test_a_matching_transcript_exits_0(lab):
    done = replay(lab)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.startswith(f"ok    {transcript(lab)} (7 commands")


def test_a_changed_output_line_exits_1_with_a_diff_at_the_transcript_and_article_lines(lab):
    path = transcript(lab)
    path.write_text(path.read_text().replace("veth1@veth0", "veth1@veth9"))
    done = replay(lab)
    assert done.returncode == 1
    assert f"{path}:5: output differs for `$ ip -br link show veth1 | cut -d' ' -f1`" in done.stdout
    assert f"shown at {lab.parent / 'docs' / 'post.md'}:6 (section 'show')" in done.stdout
    assert "-veth1@veth9\n+veth1@veth0\n" in done.stdout


def test_a_swapped_mac_exits_1(lab):
    path = transcript(lab)
    # The article would claim sysfs shows veth0's MAC where it really shows veth1's.
    text = path.read_text().replace(
        "02:aa:bb:cc:dd:01\n# --8<-- [end", "02:00:00:00:00:0a\n# --8<-- [end"
    )
    path.write_text(text)
    done = replay(lab)
    assert done.returncode == 1
    assert f"{path}:11: output differs for `$ cat /sys/class/net/veth1/address`" in done.stdout


def test_a_wrong_exit_status_exits_1(lab):
    path = transcript(lab)
    path.write_text(path.read_text().replace("[1]", "[2]"))
    done = replay(lab)
    assert done.returncode == 1
    assert "-[2]\n+[1]" in done.stdout
    assert "hidden setup" in done.stdout


def test_a_hanging_command_exits_2_with_its_line(lab):
    path = transcript(lab)
    path.write_text(path.read_text() + "$ sleep 30\n")
    done = replay(lab, "--timeout", "1")
    assert done.returncode == 2
    assert f"ERROR {path}:16: no prompt after 1 s (the command hangs): `sleep 30`" in done.stdout


@pytest.mark.parametrize(
    ("append", "message"),
    [
        pytest.param("#lab: wat\n", ":16: unknown directive '#lab: wat'", id="unknown-directive"),
        pytest.param("# --8<-- [start:more]\n", ":16: unterminated section 'more'", id="unterminated-section"),
        pytest.param("$ echo 'unbalanced\n", ":16: bash cannot parse the command", id="unparsable-command"),
        pytest.param("#lab: requires /nonexistent/tool\n", "requires /nonexistent/tool, which does not exist", id="missing-requirement"),
    ],
)  # fmt: skip
def test_bad_input_exits_2_with_one_clear_error(lab, append, message):
    path = transcript(lab)
    path.write_text(path.read_text() + append)
    done = replay(lab)
    assert done.returncode == 2
    assert message in done.stdout
    assert done.stdout.count("ERROR") + done.stdout.count("SKIPPED") == 1


def test_update_rewrites_the_changed_line_only_and_then_matches(lab):
    path = transcript(lab)
    original = path.read_text()
    path.write_text(original.replace("veth1@veth0", "veth1@veth9"))
    done = replay(lab, "--update")
    assert done.returncode == 0, done.stdout
    assert path.read_text() == original
    assert replay(lab).returncode == 0


def test_fill_writes_the_output_of_a_new_command(lab):
    path = transcript(lab)
    path.write_text(path.read_text() + "$ ip -br link show veth0 | cut -d' ' -f1\n")
    assert replay(lab, "--fill").returncode == 0
    assert path.read_text().endswith("$ ip -br link show veth0 | cut -d' ' -f1\nveth0@veth1\n")


def test_no_arguments_replays_every_transcript_under_lab(lab):
    (lab / "post" / "02-other.console").write_text("$ echo hi\nhi\n")
    done = replay(lab)
    assert done.returncode == 0
    assert done.stderr.strip() == "2 matched, 0 differ, 0 could not run"
