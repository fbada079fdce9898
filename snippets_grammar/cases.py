"""The one table of `--8<--` lines every reader of the grammar is tested against.

Each consumer (the grammar itself and pymdownx.snippets, the MkDocs hook, the lab's audit and
transcript parser, the browser tests' console blocks) has a test parametrized over these cases,
so a change to the grammar shows up in all of them at once. The files the cases include are
written by ``write_files`` into a base directory the tests create.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from snippets_grammar import Marker, Target

# Stands for "a malformed include": the readers must refuse it, naming the problem.
MALFORMED = "malformed"

FILES = {
    "post/02-netns.console": (
        "$ ip netns add pod0\n"
        "# --8<-- [start:create]\n"
        "$ ip netns add pod1\n"
        "# --8<-- [end:create]\n"
        "# --8<-- [start:list-all]\n"
        "$ ip netns list\n"
        "pod1\n"
        "pod0\n"
        "# --8<-- [end:list-all]\n"
    ),
    "post/netns.py": (
        '"""Create a network namespace."""\n'
        "# --8<-- [start:create]\n"
        "import subprocess\n"
        "\n"
        'subprocess.run(["ip", "netns", "add", "pod1"], check=True)\n'
        "# --8<-- [end:create]\n"
        'print("created")\n'
    ),
    # Runs netns.py, so the audit accepts showing it.
    "post/03-python.console": "$ python3 netns.py\ncreated\n",
}


def write_files(base: Path) -> Path:
    """Write the files the cases include under ``base``; returns ``base``."""
    for name, text in FILES.items():
        (base / name).parent.mkdir(parents=True, exist_ok=True)
        (base / name).write_text(text, encoding="utf-8")
    return base


@dataclass(frozen=True)
class IncludeCase:
    id: str
    line: str
    # The target read, None when the line is no include (text), or MALFORMED.
    expected: Target | str | None
    # What pymdownx.snippets puts on the page in place of a good include, marker lines dropped.
    shows: tuple[str, ...] = ()


INCLUDE_CASES = [
    IncludeCase(
        "whole-file",
        '--8<-- "post/02-netns.console"',
        Target("post/02-netns.console"),
        ("$ ip netns add pod0", "$ ip netns add pod1", "$ ip netns list", "pod1", "pod0", ""),
    ),
    IncludeCase(
        "section",
        '--8<-- "post/02-netns.console:create"',
        Target("post/02-netns.console", section="create"),
        ("$ ip netns add pod1",),
    ),
    IncludeCase(
        "section-name-with-dash",
        '--8<-- "post/02-netns.console:list-all"',
        Target("post/02-netns.console", section="list-all"),
        ("$ ip netns list", "pod1", "pod0"),
    ),
    IncludeCase(
        "single-quotes",
        "--8<-- 'post/02-netns.console:create'",
        Target("post/02-netns.console", section="create"),
        ("$ ip netns add pod1",),
    ),
    IncludeCase(
        "indented-in-a-tab",
        '    --8<-- "post/02-netns.console:create"',
        Target("post/02-netns.console", section="create"),
        ("$ ip netns add pod1",),
    ),
    IncludeCase(
        "longer-scissors",
        '---8<--- "post/02-netns.console:create"',
        Target("post/02-netns.console", section="create"),
        ("$ ip netns add pod1",),
    ),
    IncludeCase(
        "python-section",
        '--8<-- "post/netns.py:create"',
        Target("post/netns.py", section="create"),
        ("import subprocess", "", 'subprocess.run(["ip", "netns", "add", "pod1"], check=True)'),
    ),
    IncludeCase(
        "line-range",
        '--8<-- "post/netns.py:1:5"',
        Target("post/netns.py", lines=":1:5"),
        (
            '"""Create a network namespace."""',
            "import subprocess",
            "",
            'subprocess.run(["ip", "netns", "add", "pod1"], check=True)',
        ),
    ),
    # A file ending in a newline ends in a blank line, as pymdownx.snippets counts lines.
    IncludeCase(
        "line-range-to-the-end",
        '--8<-- "post/netns.py:6:"',
        Target("post/netns.py", lines=":6:"),
        ('print("created")', ""),
    ),
    IncludeCase(
        "line-range-from-the-end",
        '--8<-- "post/netns.py:-3:-2"',
        Target("post/netns.py", lines=":-3:-2"),
        ('print("created")',),
    ),
    IncludeCase(
        "two-line-ranges",
        '--8<-- "post/netns.py:1:1,7:7"',
        Target("post/netns.py", lines=":1:1,7:7"),
        ('"""Create a network namespace."""', 'print("created")'),
    ),
    IncludeCase("escaped", ';--8<-- "post/02-netns.console"', None),
    IncludeCase("scissors-in-prose", 'Cut here --8<-- "post/02-netns.console"', None),
    IncludeCase("trailing-blank", '--8<-- "post/02-netns.console" ', MALFORMED),
    IncludeCase("mismatched-quotes", "--8<-- \"post/02-netns.console'", MALFORMED),
    IncludeCase("unquoted", "--8<-- post/02-netns.console", MALFORMED),
    IncludeCase("empty-target", '--8<-- ""', MALFORMED),
    IncludeCase("upper-case-section", '--8<-- "post/02-netns.console:Create"', MALFORMED),
    IncludeCase("blank-in-section", '--8<-- "post/02-netns.console:create it"', MALFORMED),
    IncludeCase("digit-first-section", '--8<-- "post/02-netns.console:1st"', MALFORMED),
    IncludeCase("url", '--8<-- "https://example.com/netns.py"', MALFORMED),
]


@dataclass(frozen=True)
class MarkerCase:
    id: str
    line: str
    # The marker pymdownx.snippets reads (the line never reaches the page), or None.
    expected: Marker | None
    # Written as lab transcripts must write it: `# --8<-- [start:name]`, nothing else.
    canonical: bool = False


MARKER_CASES = [
    MarkerCase("start", "# --8<-- [start:create]", Marker("start", "create"), canonical=True),
    MarkerCase("end", "# --8<-- [end:create]", Marker("end", "create"), canonical=True),
    MarkerCase(
        "name-with-dash",
        "# --8<-- [start:show-link_2]",
        Marker("start", "show-link_2"),
        canonical=True,
    ),  # fmt: skip
    MarkerCase("other-comment-sign", "// --8<-- [start:create]", Marker("start", "create")),
    MarkerCase("blanks-in-brackets", "# --8<-- [ start : create ]", Marker("start", "create")),
    MarkerCase("upper-case-kind", "# --8<-- [START:create]", Marker("start", "create")),
    MarkerCase("escaped", "# ;--8<-- [start:create]", None),
    MarkerCase("digit-first-name", "# --8<-- [start:1st]", None),
    MarkerCase("unknown-kind", "# --8<-- [begin:create]", None),
    MarkerCase("no-blank-before-bracket", "# --8<--[start:create]", None),
]
