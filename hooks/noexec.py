"""Mark the code blocks the test suite does not run, with the reason one hover or tap away.

Every shell and Python block on the site is included from lab/ and checked by the tests, except
blocks marked ``{.noexec data-reason="..."}`` (for example the macOS install commands). The post
explains this once, in its "how this article is checked" note; each such block then carries a
short visible marker, "not run by the tests", whose title holds the block's reason. A marker, not
a paragraph per block: the page never implies a check that does not happen, and the reader is
not told the same thing at every block.
"""

from __future__ import annotations

import re

# superfences renders ```shell {.noexec data-reason="..."} as
# <div class="language-shell noexec highlight" data-reason="...">; the reason is already escaped.
_NOEXEC_BLOCK = re.compile(
    r'(?P<block><div class="[^"]*\bnoexec\b[^"]*" data-reason="(?P<reason>[^"]*)">)'
)

MARKER_TEXT = "not run by the tests"


def label_untested_blocks(html: str) -> str:
    """Put a small "not run by the tests" marker, its reason as the title, before each block."""
    return _NOEXEC_BLOCK.sub(
        rf'<p class="noexec-note"><abbr title="\g<reason>">{MARKER_TEXT}</abbr></p>\g<block>',
        html,
    )
