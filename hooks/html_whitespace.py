"""Drop the indentation Material's templates leave between the tags of every page.

The theme's Jinja templates are indented for the people who read them, and a rendered page
keeps that indentation: runs of a newline and up to thirty spaces, a good part of a post's HTML
(tools/bench/bench_rewrites.py prints how much). Outside preformatted text a browser shows any
run of whitespace as one space at most (CSS ``white-space: normal``), so each run that holds a
newline becomes that one newline: the page renders and reads the same.

Left as written: the insides of ``<pre>``, ``<code>``, ``<kbd>``, ``<samp>``, ``<textarea>``
(whitespace is shown there: Material styles code and kbd ``pre-wrap``), ``<script>`` and
``<style>``, comments, and everything inside a tag (attribute values are data).
"""

from __future__ import annotations

import re

_KEPT = re.compile(
    r"<(pre|code|kbd|samp|textarea|script|style)\b.*?</\1\s*>|<!--.*?-->|<[^>]*>",
    re.S | re.I,
)
_RUN_WITH_NEWLINE = re.compile(r"[ \t\r\f]*\n\s*")


def collapse_whitespace(html: str) -> str:
    """Each whitespace run holding a newline, outside tags and preformatted text, as one newline."""
    pieces = []
    position = 0
    for kept in _KEPT.finditer(html):
        pieces.append(_RUN_WITH_NEWLINE.sub("\n", html[position : kept.start()]))
        pieces.append(kept[0])
        position = kept.end()
    pieces.append(_RUN_WITH_NEWLINE.sub("\n", html[position:]))
    return "".join(pieces)
