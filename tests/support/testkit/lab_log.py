"""Reading the terminal of the lab in the page (docs/assets/lab/): what each command printed.

The terminal's log is the guest's serial console as a reader sees it: a prompt, the command as
typed (the console's echo; a continuation line after bash's `> `), its output, the next prompt.
The lab types more than a block shows (the steps before it, under a comment), and the shell
answered the empty lines that woke it with prompts: the commands looked for are found in order,
others passed over.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from labrun import compare

PROMPT_LINE = re.compile(r"root@netns-lab:[^\n#]*# ")
# An interactive shell's job notices, which a reader's terminal shows and a transcript (run by a
# shell without job control) does not: `[1] 345` after `command &`, `[1]+  Done  command` at a
# later prompt.
JOB_NOTICE = re.compile(r"^\[[0-9]+\][+-]?\s+(?:[0-9]+$|(?:Done|Exit [0-9]+|Terminated|Killed)\b)")


def echo(command: str) -> list[str]:
    """A command's lines as the console echoes them: continuation lines after bash's `> `."""
    first, *more = command.split("\n")
    return [first, *(f"> {line}" for line in more)]


def outputs_in_order(log: str, commands: Sequence[str]) -> list[list[str]]:
    """What each of ``commands`` printed (compare.normalize'd, job notices left out), each
    found after the one before it; AssertionError naming the first one not found."""
    pieces = [piece.split("\n") for piece in PROMPT_LINE.split(log)[1:]]
    found: list[list[str]] = []
    at = 0
    for command in commands:
        typed = [line.rstrip() for line in echo(command)]
        while at < len(pieces):
            lines = pieces[at]
            at += 1
            if [line.rstrip() for line in lines[: len(typed)]] == typed:
                output = [line for line in lines[len(typed) :] if not JOB_NOTICE.match(line)]
                found.append(compare.normalize("\n".join(output)))
                break
        else:
            raise AssertionError(f"{command!r} is not in the terminal after the commands before it")
    return found
