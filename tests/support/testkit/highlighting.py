"""Markdown rendered the way the site renders code blocks, for the tests of code-block hooks."""

from __future__ import annotations

import re

import markdown


def highlighted(text: str) -> str:
    """``text`` through Python-Markdown with pymdownx.highlight and superfences (Pygments)."""
    return markdown.markdown(text, extensions=["pymdownx.highlight", "pymdownx.superfences"])


def text_of(html: str) -> str:
    """The characters a reader sees (and copies): the HTML without its tags."""
    return re.sub(r"<[^>]+>", "", html)
