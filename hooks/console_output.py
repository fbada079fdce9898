"""Wrap each run of a console block's output lines in one span, not one span per line.

Pygments' console lexer gives every output line its own ``<span class="go">`` (Generic.Output),
closed before the line's newline. A transcript's output is most of a post's code, so those spans
were 5 kB of each post's HTML (0.3 kB of gzip, ``make bench``). Consecutive output lines, blank
lines between them included, become one span holding the same text: the colour is the class's,
so the block looks and copies the same (the copy button reads the text, docs/assets/).
"""

from __future__ import annotations

import re

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

_OUTPUT_RUN = re.compile(r'<span class="go">[^<]*</span>(?:\n+<span class="go">[^<]*</span>)+')
_LINE_BREAK = re.compile(r'</span>(\n+)<span class="go">')


def merge_output_spans(html: str) -> str:
    """One ``go`` span for each run of output lines."""
    return _OUTPUT_RUN.sub(lambda run: _LINE_BREAK.sub(r"\1", run[0]), html)


def on_page_content(html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
    return merge_output_spans(html)
