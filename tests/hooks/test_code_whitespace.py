"""Pygments' whitespace spans are unwrapped; the code's text, and every other span, stays."""

from __future__ import annotations

from highlighting import highlighted, text_of

from code_whitespace import unwrap_whitespace_spans

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
