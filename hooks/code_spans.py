"""Drop the Pygments spans that change nothing on screen: whitespace, and names.

Pygments wraps every token of highlighted code in a span, and a page made mostly of code holds
a great many of them: every style recalculation walks them (Material's palette switch
recalculates the whole page twice at load), and they weigh on the HTML (``make bench`` prints
the page's weight). Two kinds look exactly like the text around them, so only the text stays:

- ``w``, whitespace (``Text.Whitespace``): no Material style colours it;
- ``n`` and ``kc``, names and keyword constants (``x``, ``json``, ``True``): Material colours
  them ``--md-code-hl-name-color``, which is the code's own colour, ``--md-code-fg-color``, in
  both schemes. In the CNI post's Python, a name span was every third span;
- the empty ``<span></span>`` the HTML formatter writes at the start of every ``<pre>``.

tests/hooks/test_code_spans.py reads Material's stylesheets to prove both facts still hold.
Only spans that hold nothing but text are unwrapped; the text itself stays, so the code reads
and copies the same.
"""

from __future__ import annotations

import re

# The Pygments classes (CSS class names) that Material shows in the code's own colour.
SAME_AS_CODE = ("n", "kc")
_EMPTY_LEADING_SPAN = re.compile(r"(<pre\b[^>]*>)<span></span>")
_WHITESPACE_SPAN = re.compile(r'<span class="w">([ \t\n]*)</span>')
_SAME_AS_CODE_SPAN = re.compile(rf'<span class="(?:{"|".join(SAME_AS_CODE)})">([^<]*)</span>')


def unwrap_whitespace_spans(html: str) -> str:
    """Replace each whitespace-only ``<span class="w">`` with the whitespace it holds."""
    return _WHITESPACE_SPAN.sub(r"\1", html)


def unwrap_plain_spans(html: str) -> str:
    """Replace each name span (``n``, ``kc``) with the text it holds."""
    return _SAME_AS_CODE_SPAN.sub(r"\1", html)


def drop_empty_leading_spans(html: str) -> str:
    """``<pre><span></span><code>`` as ``<pre><code>``."""
    return _EMPTY_LEADING_SPAN.sub(r"\1", html)


def drop_invisible_spans(html: str) -> str:
    """All three: the whitespace and name spans' text without them, no empty leading span."""
    return drop_empty_leading_spans(unwrap_plain_spans(unwrap_whitespace_spans(html)))
