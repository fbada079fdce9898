"""Show readers which code blocks the test suite does not run, and why.

Every shell and Python block on the site is included from lab/ and checked by the tests, except
blocks marked ``{.noexec data-reason="..."}`` (for example the macOS install commands). This
hook puts the reason above such a block as visible text, so the page never implies a check that
does not happen.
"""

from __future__ import annotations

import re

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

# superfences renders ```shell {.noexec data-reason="..."} as
# <div class="language-shell noexec highlight" data-reason="...">; the reason is already escaped.
_NOEXEC_BLOCK = re.compile(
    r'(?P<block><div class="[^"]*\bnoexec\b[^"]*" data-reason="(?P<reason>[^"]*)">)'
)


def label_untested_blocks(html: str) -> str:
    """Put a visible "not run by the tests" note with its reason before each noexec block."""
    return _NOEXEC_BLOCK.sub(
        r'<p class="noexec-note"><strong>Not run by the test suite:</strong> '
        r"\g<reason></p>\g<block>",
        html,
    )


def on_page_content(html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
    return label_untested_blocks(html)
