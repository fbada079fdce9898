"""Pygments' whitespace and name spans are unwrapped; the code's text, and every other span,
stays."""

from __future__ import annotations

import re
from pathlib import Path

import material

from code_spans import (
    SAME_AS_CODE,
    drop_empty_leading_spans,
    unwrap_plain_spans,
    unwrap_whitespace_spans,
)
from testkit.highlighting import highlighted, text_of
from testkit.paths import DOCS_DIR

CONSOLE_BLOCK = """```console
$ ip netns exec pod1 ip -4 addr show dev eth0
    inet 10.244.0.2/24 scope global eth0
```
"""


def test_a_highlighted_block_loses_its_whitespace_spans_and_keeps_its_text():
    html = highlighted(CONSOLE_BLOCK)
    assert '<span class="w">' in html  # what Pygments writes, or this test checks nothing
    unwrapped = unwrap_whitespace_spans(html)
    assert '<span class="w">' not in unwrapped
    assert text_of(unwrapped) == text_of(html)
    assert unwrapped.count("<span") == html.count("<span") - html.count('<span class="w">')


def test_only_whitespace_only_spans_are_touched():
    html = '<span class="w">x </span><span class="n">ip</span><span class="w"> \n\t</span>'
    expected = '<span class="w">x </span><span class="n">ip</span> \n\t'
    assert unwrap_whitespace_spans(html) == expected


PYTHON_BLOCK = """```python
import json
print(json.dumps({"ok": True}))
```
"""
STYLESHEETS = Path(material.__file__).parent / "templates" / "assets" / "stylesheets"


def test_name_spans_lose_their_span_and_keep_their_text():
    html = unwrap_whitespace_spans(highlighted(PYTHON_BLOCK))
    assert '<span class="n">json</span>' in html and '<span class="kc">True</span>' in html
    plain = unwrap_plain_spans(html)
    assert '<span class="n">' not in plain and '<span class="kc">' not in plain
    assert text_of(plain) == text_of(html)
    assert '<span class="kn">import</span>' in plain  # a coloured token keeps its span
    assert plain.count("<span") == html.count("<span") - html.count('"n"') - html.count('"kc"')


def test_material_shows_name_spans_in_the_codes_own_colour_in_both_schemes():
    """What makes unwrapping them invisible; a Material upgrade that changes it fails here."""
    main = next(STYLESHEETS.glob("main.*.min.css")).read_text(encoding="utf-8")
    palette = next(STYLESHEETS.glob("palette.*.min.css")).read_text(encoding="utf-8")
    for name in SAME_AS_CODE:
        rules = [
            body
            for selectors, body in re.findall(r"([^{}]*)\{([^{}]*)\}", main)
            if re.search(rf"\.highlight \.{name}(?![\w-])", selectors)
        ]
        assert rules == ["color:var(--md-code-hl-name-color)"], (name, rules)
    for css in (main, palette):
        assert set(re.findall(r"--md-code-hl-name-color:([^;}]*)", css)) == {
            "var(--md-code-fg-color)"
        }
    extra = (DOCS_DIR / "assets" / "extra.css").read_text()
    assert "--md-code-hl-name-color" not in extra and "--md-code-fg-color:" not in extra


def test_the_empty_span_at_the_start_of_each_block_goes_and_nothing_else():
    html = highlighted(PYTHON_BLOCK)
    assert "<pre><span></span><code>" in html  # what Pygments writes, or this checks nothing
    dropped = drop_empty_leading_spans(html)
    assert "<pre><code>" in dropped and "<span></span>" not in dropped
    assert drop_empty_leading_spans("<p><span></span></p>") == "<p><span></span></p>"
