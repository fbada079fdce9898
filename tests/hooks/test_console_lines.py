"""Console blocks are marked the way the lab reads transcripts: hiding prompts and output
(what extra.css does while Material copies) leaves exactly the commands transcript.py reads."""

from __future__ import annotations

import html
import re
from pathlib import Path

from code_spans import unwrap_whitespace_spans
from console_lines import WRAP_AT, line_kinds, mark_console_blocks
from labrun import transcript
from testkit.highlighting import highlighted, text_of

# The harder cases: a continued command, a heredoc (Pygments reads its lines as output), blank
# output, output that Pygments reads as a prompt, an exit status.
TRANSCRIPT = """$ ip -br link \\
>   | sort
lo               UNKNOWN        00:00:00:00:00:00 <LOOPBACK,UP,LOWER_UP>
$ cat <<EOF > /tmp/greeting
> hello
> EOF
$ cat /tmp/greeting

hello
# not a prompt
% nor this
> nor this, after output
$ false
[1]
"""


def page_of(text: str) -> str:
    """The block as the site renders it: Pygments with the language class, whitespace spans gone."""
    fence = f"```console\n{text}```\n"
    return unwrap_whitespace_spans(highlighted(fence)).replace(
        '<div class="highlight">', '<div class="language-console highlight">'
    )


def copied(page: str) -> str:
    """What Material's copy gives with extra.css: innerText without the gp and go spans."""
    code = re.search(r"<code>(.*)</code>", page, re.S)[1]
    shown = re.sub(r'<span class="gp">[^<]*</span>', "", code)
    shown = re.sub(r'<span class="go">(?:[^<]|<span class="wrap">[^<]*</span>)*</span>', "", shown)
    return html.unescape(text_of(shown)).rstrip()


def test_hiding_prompts_and_output_leaves_the_commands_the_lab_reads():
    before = page_of(TRANSCRIPT)
    expected = "\n".join(
        command.text for command in transcript.parse(Path("<block>"), TRANSCRIPT).commands
    )
    assert copied(before) != expected  # Pygments' own marks are not enough, or this checks nothing
    marked = mark_console_blocks(before)
    assert copied(marked) == expected
    assert html.unescape(text_of(marked)) == html.unescape(text_of(before))


def test_a_run_of_output_lines_is_one_span_holding_its_newlines():
    marked = mark_console_blocks(page_of("$ ls\na\n\nb\n$ true\n"))
    assert '<span class="gp">$ </span>ls\n<span class="go">a\n\nb\n</span>' in marked


def test_an_output_line_too_long_for_a_phone_is_marked_for_its_wrap_mark_and_a_short_one_not():
    long = "x" * (WRAP_AT + 1)
    short = "y" * WRAP_AT
    marked = mark_console_blocks(page_of(f"$ ls\n{short}\n{long}\n$ {long}\n"))
    assert f'<span class="go">{short}\n<span class="wrap">{long}\n</span></span>' in marked
    assert marked.count('class="wrap"') == 1  # a command wraps too, but with no mark


def test_line_kinds_follow_the_transcript_grammar():
    lines = ["$ a", "> b", "c", "> d", "$", ">", "$x"]
    kinds = ["command", "continuation", "output", "output", "command", "continuation", "output"]
    assert line_kinds(lines) == kinds


def test_blocks_of_other_languages_and_highlighted_lines_are_left_alone():
    other = highlighted("```text\n$ not a console\n```\n")
    assert mark_console_blocks(other) == other
    lines = page_of("$ a\nb\n").replace("<code>", '<code><span class="hll">', 1)
    assert mark_console_blocks(lines) == lines


def test_a_command_is_plain_text_after_its_prompt_without_the_lexers_colours():
    before = page_of("$ ip netns exec pod1 ping -c 1 10.244.1.2 | tail -n 1\n")
    assert '<span class="nb">exec</span>' in before  # Pygments' guess, or this checks nothing
    marked = mark_console_blocks(before)
    code = re.search(r"<code>(.*)</code>", marked, re.S)[1]
    assert code == '<span class="gp">$ </span>ip netns exec pod1 ping -c 1 10.244.1.2 | tail -n 1\n'
