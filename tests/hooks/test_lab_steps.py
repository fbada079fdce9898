"""hooks/lab_steps.py: what the lab in the page types for each console block, the steps a block
shows and the ones before it, read from the page's plan and its transcripts."""

from __future__ import annotations

import pytest

import lab_controls
import lab_steps

TRANSCRIPTS = {
    "a/runs.console": """\
#lab: note Hidden set-up, then two sections with a hidden wait between them.
$ ip link set lo up
# --8<-- [start:one]
$ ip netns add pod1
# --8<-- [end:one]
$ until true; do sleep 0.1; done
# --8<-- [start:two]
$ ip netns list
pod1
# --8<-- [end:two]
#lab: enter pod1
# --8<-- [start:inside]
$ ip -br link
lo               DOWN           00:00:00:00:00:00 <LOOPBACK>
# --8<-- [end:inside]
#lab: leave
""",
    "b/out.console": "#lab: not-in browser it needs amd64\n# --8<-- [start:x]\n$ true\n"
    "# --8<-- [end:x]\n",
}
REASONS = {"b/out.console": "it needs amd64"}


def plan(markdown: str) -> lab_controls.Plan:
    return lab_controls.read_plan(markdown, REASONS.get)


def fence(*targets: str) -> str:
    lines = "\n".join(f'--8<-- "{target}"' for target in targets)
    return f"```console\n{lines}\n```\n"


def test_each_block_gets_the_steps_it_shows_and_the_page_every_step_of_its_transcripts():
    markdown = "## 1\n\n" + fence("a/runs.console:two") + fence("a/runs.console:inside")
    steps = lab_steps.page_steps(plan(markdown), TRANSCRIPTS.get)
    assert steps == {
        "transcripts": {
            "a/runs.console": [
                {"run": "ip link set lo up"},
                {"run": "ip netns add pod1"},
                {"run": "until true; do sleep 0.1; done"},
                {"run": "ip netns list"},
                {"enter": "pod1"},
                {"run": "ip -br link"},
                {"leave": ""},
            ]
        },
        "blocks": [
            {"transcript": "a/runs.console", "shows": [3]},
            {"transcript": "a/runs.console", "shows": [5]},
        ],
    }


def test_a_block_of_two_sections_shows_both_and_not_the_wait_between():
    markdown = "## 1\n\n" + fence("a/runs.console:one", "a/runs.console:two")
    steps = lab_steps.page_steps(plan(markdown), TRANSCRIPTS.get)
    assert steps is not None
    assert steps["blocks"] == [{"transcript": "a/runs.console", "shows": [1, 3]}]


def test_blocks_the_lab_does_not_type_are_null_and_a_page_with_none_gets_no_file():
    markdown = (
        "## 1\n\n"
        + fence("a/runs.console:one")
        + fence("b/out.console:x")
        + "```console\n$ echo hi\n```\n"
    )
    steps = lab_steps.page_steps(plan(markdown), TRANSCRIPTS.get)
    assert steps is not None
    assert steps["blocks"] == [{"transcript": "a/runs.console", "shows": [1]}, None, None]
    assert list(steps["transcripts"]) == ["a/runs.console"]
    assert (
        lab_steps.page_steps(plan("## 1\n\n" + fence("b/out.console:x")), TRANSCRIPTS.get) is None
    )


@pytest.mark.parametrize(
    ("targets", "message"),
    [
        (("a/runs.console:one", "c/other.console:y"), "two transcripts"),
        (("a/runs.console:2:3",), "by lines"),
    ],
)
def test_a_block_the_lab_could_not_type_as_shown_is_a_build_error(targets, message):
    transcripts = {
        **TRANSCRIPTS,
        "c/other.console": "# --8<-- [start:y]\n$ true\n# --8<-- [end:y]\n",
    }
    with pytest.raises(lab_steps.LabStepsError, match=message):
        lab_steps.page_steps(plan("## 1\n\n" + fence(*targets)), transcripts.get)
