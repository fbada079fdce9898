"""CSS read as strings, comments and code, then as rules: the one reading of CSS the hooks share.

inline_assets.py minifies the site's stylesheet (comments go, code is squeezed, strings stay
as written); palette_subset.py and material_css_subset.py cut Material's stylesheets into
rules, selector lists and declarations (braces, commas and semicolons count only in code). All
must agree on where a string or a comment starts and ends, so all read CSS through ``tokens``.
Not a hook: mkdocs.yml does not list it.
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


# At-rules whose body is a list of rules (read them with ``blocks`` again); any other at-rule
# (@keyframes, @font-face) holds something else and is kept as written by those who cut rules.
GROUPING_RULES = ("@media", "@supports", "@layer", "@container")


def blocks(css: str) -> Iterator[tuple[str, str]]:
    """Each top-level ``prelude{body}`` of minified CSS; strings are honoured, nesting kept."""
    start = depth = 0
    opened = -1
    for index, char in code_characters(css):
        if char == "{":
            if depth == 0:
                opened = index
            depth += 1
        elif char == "}":
            depth -= 1
            if depth == 0:
                yield css[start:opened].strip(), css[opened + 1 : index]
                start = index + 1
            elif depth < 0:
                raise ValueError(f"unbalanced '}}' at character {index} of the stylesheet")
    if depth or css[start:].strip():
        raise ValueError("the stylesheet ends inside a rule")


def selectors(prelude: str) -> list[str]:
    """A selector list cut at its top-level commas (not those inside ``:is(...)`` or quotes)."""
    return _split(prelude, ",")


def split_declarations(body: str) -> list[str]:
    """A rule's body cut at its semicolons outside quotes and parentheses, as written."""
    return _split(body, ";")


def declarations(body: str) -> dict[str, str]:
    """``name: value`` pairs of a rule's body (split_declarations)."""
    pairs = {}
    for part in split_declarations(body):
        name, colon, value = part.partition(":")
        if colon:
            pairs[name.strip()] = value.strip()
    return pairs


_PARENTHESES = re.compile(r"\([^()]*\)")


def required_part(selector: str) -> str:
    """What an element must be for ``selector`` to match it: the selector without anything in
    parentheses, where a class may be one alternative of ``:is(...)`` or excluded by
    ``:not(...)`` (a reader that cannot tell keeps the rule)."""
    required = selector
    while (inner := _PARENTHESES.sub("", required)) != required:
        required = inner
    return required


def _split(text: str, separator: str) -> list[str]:
    parts, depth, start = [], 0, 0
    for index, char in code_characters(text):
        if char in "([":
            depth += 1
        elif char in ")]":
            depth -= 1
        elif char == separator and depth == 0:
            parts.append(text[start:index])
            start = index + 1
    parts.append(text[start:])
    return parts
