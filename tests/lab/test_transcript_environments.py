"""`#lab: not-in ENVIRONMENT REASON`: where a transcript cannot run is declared, with a reason.

The browser lab (tools/browserlab/) replays every transcript that does not declare itself
out of it; the reason is what the page tells a reader instead of a "Try it" button.
"""

# Table cases read best one per line.
# ruff: noqa: E501

from __future__ import annotations

from pathlib import Path

import pytest

import snippets_grammar
from labrun import transcript
from testkit.paths import LAB_DIR

PATH = Path("lab/post/01-x.console")


def test_a_transcript_runs_everywhere_unless_it_says_otherwise():
    assert transcript.parse(PATH, "$ true\n").excluded == {}


def test_not_in_records_the_environment_and_its_reason():
    parsed = transcript.parse(
        PATH, "#lab: not-in browser containerd's runc is amd64 work\n$ true\n"
    )
    assert parsed.excluded == {"browser": "containerd's runc is amd64 work"}
    assert [command.text for command in parsed.commands] == ["true"]


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        pytest.param("#lab: not-in browser\n", 1, "not-in browser needs a reason", id="no-reason"),
        pytest.param("#lab: not-in browser   \n", 1, "not-in browser needs a reason", id="blank-reason"),
        pytest.param("#lab: not-in\n", 1, "not-in needs an environment (browser), got ''", id="nothing"),
        pytest.param("#lab: not-in phone too small\n", 1, "not-in needs an environment (browser), got 'phone'", id="unknown-environment"),
        pytest.param("#lab: not-in browser a\n$ true\n#lab: not-in browser b\n", 3, "not-in browser is declared twice", id="twice"),
        pytest.param("# --8<-- [start:a]\n#lab: not-in browser x\n# --8<-- [end:a]\n", 2, "would be shown in the article", id="in-a-section"),
    ],
)  # fmt: skip
def test_a_malformed_not_in_is_an_error_with_file_and_line(text: str, line: int, message: str):
    with pytest.raises(transcript.TranscriptError) as raised:
        transcript.parse(PATH, text)
    assert raised.value.line == line
    assert message in raised.value.message
    assert str(raised.value).startswith(f"{PATH}:{line}: ")


def test_every_lab_transcript_declares_its_environments_validly():
    """The real transcripts parse with their declarations (a typo is caught here, not in CI's
    browser job), and the browser replays at least one of them."""
    paths = sorted(LAB_DIR.rglob("*.console"))
    parsed = [transcript.load(path) for path in paths]
    assert [p for p in parsed if "browser" not in p.excluded], "no transcript runs in the browser"


def test_the_page_reads_each_transcripts_declaration_as_the_lab_does():
    """hooks/lab_controls.py reads `not-in` through snippets_grammar, without the lab's parser."""
    declared = 0
    for path in sorted(LAB_DIR.rglob("*.console")):
        expected = transcript.load(path).excluded
        assert snippets_grammar.declared_not_in(path.read_text(encoding="utf-8")) == expected
        declared += bool(expected)
    assert declared >= 1, "no transcript declares not-in: this test reads nothing"


def as_lab_step(step: transcript.Step) -> snippets_grammar.LabStep:
    if isinstance(step, transcript.Command):
        return snippets_grammar.LabStep("run", step.text, step.sections)
    if isinstance(step, transcript.Enter):
        return snippets_grammar.LabStep("enter", step.netns)
    return snippets_grammar.LabStep("leave")


def test_the_page_reads_each_transcripts_steps_as_the_lab_runs_them():
    """The lab in the page types the steps hooks/lab_steps.py reads with snippets_grammar; they
    are the lab's parser's steps, commands (continuation lines too), namespace moves and the
    sections that show them, in order, on every transcript."""
    kinds: set[str] = set()
    for path in sorted(LAB_DIR.rglob("*.console")):
        expected = [as_lab_step(step) for step in transcript.load(path).steps]
        assert snippets_grammar.lab_steps(path.read_text(encoding="utf-8")) == expected, path
        kinds.update(step.kind for step in expected)
    assert kinds == {"run", "enter", "leave"}, "the transcripts no longer exercise every kind"


def test_a_continued_command_is_one_step_with_its_lines():
    text = "# --8<-- [start:x]\n$ printf '%s\\n' a \\\n> b\na\nb\n# --8<-- [end:x]\n$ true\n"
    assert snippets_grammar.lab_steps(text) == [
        snippets_grammar.LabStep("run", "printf '%s\\n' a \\\nb", ("x",)),
        snippets_grammar.LabStep("run", "true"),
    ]
