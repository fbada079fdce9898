"""`--update` rewrites only what changed; `--fill` writes output for new commands."""

from __future__ import annotations

from pathlib import Path

from labrun import compare, run, transcript, update
from labrun.run import CommandOutcome, Outcome
from labrun.transcript import WILDCARD


def outcome_for(text: str, real: list[tuple[str, int]]) -> Outcome:
    """A replay result without a sandbox: `real` is each command's output and status."""
    parsed = transcript.parse(Path("x.console"), text)
    outcome = Outcome(parsed)
    for command, (output, status) in zip(parsed.commands, real, strict=True):
        result = run.sandbox.Result(output, status)
        outcome.commands.append(run._compare(command, result, outcome))
    return outcome


TEXT = """\
$ ip link add veth0 type veth peer name veth1
# --8<-- [start:show]
$ ip link show veth0
2: veth0@veth1: <BROADCAST,MULTICAST,M-DOWN> mtu 1500 qdisc noop state DOWN mode DEFAULT
    link/ether 02:00:00:00:00:0a brd ff:ff:ff:ff:ff:ff
...
$ ip neigh
10.0.0.2 dev veth0 lladdr 02:00:00:00:00:0a STALE
# --8<-- [end:show]
"""


def test_a_changed_line_is_a_one_line_diff_keeping_markers_ellipsis_and_published_macs():
    outcome = outcome_for(
        TEXT,
        [
            ("", 0),
            (
                "2: veth0@veth1: <BROADCAST,MULTICAST,M-DOWN> mtu 9000 qdisc noop state DOWN mode"
                " DEFAULT\n    link/ether 6e:11:22:33:44:55 brd ff:ff:ff:ff:ff:ff\n    extra\n",
                0,
            ),
            ("10.0.0.2 dev veth0 lladdr 6e:11:22:33:44:55 STALE\n", 0),
        ],
    )
    new_text = update.updated_text(outcome, update.Mode.UPDATE)
    assert new_text is not None
    old, new = TEXT.splitlines(), new_text.splitlines()
    changed = [(a, b) for a, b in zip(old, new, strict=True) if a != b]
    assert changed == [(old[3], old[3].replace("mtu 1500", "mtu 9000"))]


def test_update_writes_a_new_exit_status_and_removes_an_old_one():
    outcome = outcome_for("$ true\n$ false\n[1]\n", [("boom\n", 2), ("", 0)])
    assert update.updated_text(outcome, update.Mode.UPDATE) == "$ true\nboom\n[2]\n$ false\n"


def test_fill_writes_output_for_new_commands_only():
    outcome = outcome_for(
        "$ echo new\n$ echo old\nstale\n# --8<-- [start:a]\n# --8<-- [end:a]\n",
        [("new\n", 0), ("fresh\n", 0)],
    )
    assert update.updated_text(outcome, update.Mode.FILL) == (
        "$ echo new\nnew\n$ echo old\nstale\n# --8<-- [start:a]\n# --8<-- [end:a]\n"
    )


def test_check_mode_never_rewrites():
    outcome = outcome_for("$ echo x\ny\n", [("x\n", 0)])
    assert update.updated_text(outcome, update.Mode.CHECK) is None


def test_a_rewritten_output_matches_the_real_output():
    result = CommandOutcome(
        transcript.Command(line=1, source=["x"], expected=["a", WILDCARD, "z"]),
        ["a", "b", "y"],
        0,
        False,
        compare.Renaming(),
    )
    rewritten = update.rewrite(result, compare.Renaming())
    assert compare.match_output(rewritten, result.actual, compare.Renaming()) is not None
    assert rewritten[:2] == ["a", WILDCARD]
