"""Reading the terminal of the lab in the page (docs/assets/lab/): what each command printed.

The terminal's log is the guest's serial console as a reader sees it: a prompt, the command as
typed (the console's echo; a continuation line after bash's `> `), its output, the next prompt.
What the page's buttons type is known in advance (``typed_sequence``, the rule
docs/assets/lab/lab-panel.mjs follows, written again here from its description), so the log is
read strictly: every typed line in order, nothing else but the prompts that answered the
empty lines waking the shell and the lab's own line where it went back to the snapshot.
"""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from labrun import compare

# The guest's prompt, after output that ends without a newline too; inside another network
# namespace it starts with the namespace's name (tools/browserlab/root.py).
PROMPT_LINE = re.compile(r"(?:\([\w.-]+\) )?root@netns-lab:[^\n#]*# ")
# An interactive shell's job notices, which a reader's terminal shows and a transcript (run by a
# shell without job control) does not: `[1] 345` after `command &`, `[1]+  Done  command` or
# `Terminated` at a later prompt. (Not `Exit N`: a background job that failed must show.)
JOB_NOTICE = re.compile(r"^\[[0-9]+\][+-]?\s+(?:[0-9]+$|(?:Done|Terminated|Killed)\b)")
# The lab's lines (docs/assets/lab/lab-panel.mjs): before the steps a block needs and does not
# show, and where it restores the snapshot.
NOT_SHOWN = "# not in this block, but the lab needs it first:"
RESTORED = "(back to a fresh PC: the snapshot restored)"


@dataclass(frozen=True)
class Typed:
    """A line the lab types: a step of a transcript (its index there), or its NOT_SHOWN note."""

    transcript: str
    index: int | None  # None: the NOT_SHOWN line
    text: str
    kind: str = "run"  # run, enter, leave or note


RESTORE = Typed("", None, RESTORED, "restore")


def published_steps(site_url: str, post_path: str) -> dict[str, Any] | None:
    """A post's lab-steps.json as the site serves it (hooks/lab_steps.py writes it), or None
    for a post none of whose sections runs in the browser (the hook writes none there)."""
    try:
        with urllib.request.urlopen(f"{site_url}{post_path}lab-steps.json", timeout=30) as got:
            return json.load(got)
    except urllib.error.HTTPError as error:
        if error.code == 404:  # noqa: PLR2004 - HTTP's "not found"
            return None
        raise


def step_text(step: dict[str, str]) -> tuple[str, str]:
    """(kind, what the lab types) for a lab-steps.json step."""
    if "enter" in step:
        return "enter", f"ip netns exec {step['enter']} bash"
    if "leave" in step:
        return "leave", "exit"
    return "run", step["run"]


def typed_sequence(steps: dict[str, Any], blocks: list[dict[str, Any]]) -> Iterator[Typed]:
    """What the buttons of ``blocks`` (entries of a page's lab-steps.json), clicked in order,
    type: each block's steps after those of its transcript not typed yet (behind a NOT_SHOWN
    line), from a fresh PC (RESTORE) when the block is of another transcript or comes before
    what was typed."""
    position: tuple[str, int] | None = None
    for block in blocks:
        name, shows = block["transcript"], block["shows"]
        if position is not None and position[0] == name and position[1] <= shows[0]:
            start = position[1]
        else:
            if position is not None:
                yield RESTORE
            start = 0
        shown = True
        for index in range(start, shows[-1] + 1):
            if shown and index not in shows:
                yield Typed(name, None, NOT_SHOWN, "note")
            shown = index in shows
            kind, text = step_text(steps["transcripts"][name][index])
            yield Typed(name, index, text, kind)
        position = (name, shows[-1] + 1)


def echo(command: str) -> list[str]:
    """A command's lines as the console echoes them: continuation lines after bash's `> `."""
    first, *more = command.split("\n")
    return [first, *(f"> {line}" for line in more)]


class Log:
    """The terminal's log, read in order: ``next(typed)`` is what the next typed line printed."""

    def __init__(self, log: str) -> None:
        self.pieces = [piece.split("\n") for piece in PROMPT_LINE.split(log)[1:]]
        self.at = 0

    def next(self, typed: Typed) -> list[str]:
        """The output of ``typed`` (compare.normalize'd, job notices left out); AssertionError
        when anything but a wake-up prompt comes before it, or it is not there."""
        while self.at < len(self.pieces):
            lines = self.pieces[self.at]
            self.at += 1
            if typed is RESTORE and RESTORED in lines:
                return []
            if typed is not RESTORE and lines[0].strip():
                wanted = [line.rstrip() for line in echo(typed.text)]
                got = [line.rstrip() for line in lines[: len(wanted)]]
                assert got == wanted, f"typed {wanted}, the terminal shows {got}"
                output = [line for line in lines[len(wanted) :] if not JOB_NOTICE.match(line)]
                return compare.normalize("\n".join(output))
            stray = [line for line in lines if line.strip() and not JOB_NOTICE.match(line)]
            assert not stray, f"before {typed.text!r}, lines nothing typed: {stray}"
        raise AssertionError(f"{typed.text!r} is not in the terminal after what came before it")
