"""Drop the `<span class="w">` elements Pygments wraps around every run of whitespace in code.

Pygments gives whitespace its own token (``Text.Whitespace``, CSS class ``w``) and the HTML
formatter wraps each one in a span. No Material style colours ``.w``, so those spans change
nothing on screen, but a page made mostly of code holds a great many of them: every style
recalculation walks them (Material's palette switch recalculates the whole page twice at load),
and they weigh on the HTML (``make bench`` prints the page's weight). Only spans that hold
nothing but spaces, tabs and newlines are unwrapped; the whitespace itself stays, so the code
reads and copies the same.
"""

from __future__ import annotations

import re

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

_WHITESPACE_SPAN = re.compile(r'<span class="w">([ \t\n]*)</span>')


def unwrap_whitespace_spans(html: str) -> str:
    """Replace each whitespace-only ``<span class="w">`` with the whitespace it holds."""
    return _WHITESPACE_SPAN.sub(r"\1", html)


def on_page_content(html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
    return unwrap_whitespace_spans(html)
