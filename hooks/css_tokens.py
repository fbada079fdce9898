"""CSS read as strings, comments and code: the one reading of CSS the hooks share.

inline_assets.py minifies the site's stylesheet (comments go, code is squeezed, strings stay
as written); palette_subset.py cuts Material's palette into rules and selector lists (braces,
commas and semicolons count only in code). Both must agree on where a string or a comment
starts and ends, so both read CSS through ``tokens``. Not a hook: mkdocs.yml does not list it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Literal, NamedTuple

# A quoted string (escapes honoured) or a comment; whatever lies between them is code.
_STRING_OR_COMMENT = re.compile(
    r"""(?P<string>"(?:\\.|[^"\\])*"|'(?:\\.|[^'\\])*')|(?P<comment>/\*.*?\*/)""", re.S
)


class Token(NamedTuple):
    kind: Literal["code", "string", "comment"]
    text: str
    start: int  # where the token starts in the stylesheet


def tokens(css: str) -> Iterator[Token]:
    """The stylesheet as a sequence of code, string and comment tokens, in order."""
    position = 0
    for match in _STRING_OR_COMMENT.finditer(css):
        if match.start() > position:
            yield Token("code", css[position : match.start()], position)
        kind: Literal["string", "comment"] = "string" if match["string"] else "comment"
        yield Token(kind, match[0], match.start())
        position = match.end()
    if position < len(css):
        yield Token("code", css[position:], position)


def code_characters(css: str) -> Iterator[tuple[int, str]]:
    """(index, character) of every character of the stylesheet that is code."""
    for token in tokens(css):
        if token.kind == "code":
            for offset, char in enumerate(token.text):
                yield token.start + offset, char
