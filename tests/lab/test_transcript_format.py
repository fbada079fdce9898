"""The transcript format: what parses, and one clear file:line error for what does not."""

# Table cases read best one per line.
# ruff: noqa: E501

from __future__ import annotations

from pathlib import Path

import pytest

from labrun import transcript
from labrun.transcript import Command, Enter, Leave
from snippets_grammar.cases import MARKER_CASES, MarkerCase
from testkit.paths import LAB_DIR

PATH = Path("lab/post/01-x.console")


def parse(text: str) -> transcript.Transcript:
    return transcript.parse(PATH, text)


def test_commands_continuations_output_status_and_sections_are_read():
    parsed = parse(
        "#lab: note hidden setup\n"
        "$ ip netns add pod1\n"
        "# --8<-- [start:show]\n"
        "$ ip netns list \\\n"
        ">   | sort\n"
        "pod1\n"
        "...\n"
        "\n"
        "# --8<-- [end:show]\n"
        "$ false\n"
        "[1]\n"
    )
    first, second, third = parsed.commands
    assert (first.text, first.expected, first.sections) == ("ip netns add pod1", [], ())
    assert second.text == "ip netns list \\\n  | sort"
    assert second.expected == ["pod1", "..."]
    assert second.sections == ("show",)
    assert (second.line, second.output_start, second.output_end) == (4, 5, 7)
    assert (third.status, third.expected) == (1, [])
    assert parsed.section_text("show") == ["$ ip netns list \\", ">   | sort", "pod1", "...", ""]


def test_enter_and_leave_switch_machines_between_commands():
    parsed = parse("#lab: enter laptop\n$ hostname\nlaptop\n#lab: leave\n$ true\n")
    assert [type(step) for step in parsed.steps] == [Enter, Command, Leave, Command]


def test_timeout_directive_applies_to_the_next_command_only():
    parsed = parse("#lab: timeout 30\n$ sleep 20\n$ true\n")
    assert [command.timeout for command in parsed.commands] == [30.0, None]


def test_trailing_blank_lines_of_an_output_are_not_part_of_it():
    parsed = parse("$ ifconfig\nlo: flags\n\n\n$ true\n")
    assert parsed.commands[0].expected == ["lo: flags"]
    assert parsed.commands[0].output_end == 2


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        pytest.param("#lab: frobnicate now\n", 1, "unknown directive '#lab: frobnicate'", id="unknown-directive"),
        pytest.param("$ true\n# --8<-- [start:a]\n$ true\n", 2, "unterminated section 'a'", id="unterminated-section"),
        pytest.param("# --8<-- [end:a]\n", 1, "end of section 'a' that was never started", id="end-without-start"),
        pytest.param("# --8<-- [start:a]\n# --8<-- [end:a]\n# --8<-- [start:a]\n# --8<-- [end:a]\n", 3, "defined twice", id="section-twice"),
        pytest.param("\nhello\n$ true\n", 2, "output before any command", id="output-before-command"),
        pytest.param("$ true\n# --8<-- [start:a]\nstray\n# --8<-- [end:a]\n", 3, "not attached to a command", id="output-after-marker"),
        pytest.param("$ false\n[1]\nmore\n", 3, "output after the exit status", id="output-after-status"),
        pytest.param("--8<-- [start:a]\n", 1, "malformed section marker", id="marker-without-hash"),
        pytest.param("# --8<-- [start:a]\n#lab: note x\n# --8<-- [end:a]\n", 2, "would be shown in the article", id="directive-in-section"),
        pytest.param("#lab: leave\n", 1, "leave without a matching enter", id="leave-without-enter"),
        pytest.param("#lab: timeout soon\n", 1, "timeout needs seconds", id="bad-timeout"),
        pytest.param("$ \n", 1, "empty command", id="empty-command"),
        pytest.param("$ ip link\n    link/ether <MAC> brd ff:ff:ff:ff:ff:ff\n", 2, "placeholder '<MAC>'", id="placeholder-mac"),
        pytest.param("$ ip neigh\n10.0.0.2 lladdr xx:xx:xx:xx:xx:xx\n", 2, "placeholder 'xx:xx:xx:xx:xx:xx'", id="placeholder-xx"),
    ],
)  # fmt: skip
def test_malformed_transcripts_give_one_error_with_file_and_line(text, line, message):
    with pytest.raises(transcript.TranscriptError) as raised:
        parse(text)
    assert raised.value.line == line
    assert str(raised.value).startswith(f"{PATH}:{line}: ")
    assert message in str(raised.value)


def test_the_section_one_transcript_parses_with_the_sections_the_article_includes():
    parsed = transcript.load(LAB_DIR / "genesis-of-pod-ip-addresses" / "01-setup.console")
    assert set(parsed.sections) == {"ifconfig", "curl"}
    shown = parsed.section_text("ifconfig") + parsed.section_text("curl")
    assert not any(line.startswith("#lab:") for line in shown)


@pytest.mark.parametrize("case", [pytest.param(case, id=case.id) for case in MARKER_CASES])
def test_the_transcript_parser_reads_each_marker_of_the_shared_table_as_the_grammar_does(
    case: MarkerCase,
):
    """Transcripts write a marker one way only; any other line pymdownx.snippets would read as
    a marker, or that is meant as one, is refused with its line."""
    name = case.expected.name if case.expected else "create"
    before, after = f"# --8<-- [start:{name}]\n", f"# --8<-- [end:{name}]\n"
    if case.expected is not None and case.expected.kind == "end":
        text = f"{before}$ true\n{case.line}\n"
    else:
        text = f"{case.line}\n$ true\n{after}"
    if not case.canonical:
        with pytest.raises(
            transcript.TranscriptError, match=f"^{PATH}:[13]: malformed section marker"
        ):
            parse(text)
        return
    parsed = parse(text)
    assert list(parsed.sections) == [name]
    assert parsed.section_text(name) == ["$ true"]
