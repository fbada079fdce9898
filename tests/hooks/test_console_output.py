"""Runs of console output lines share one span; the text, and every other span, stays."""

from __future__ import annotations

from highlighting import highlighted, text_of

from console_output import merge_output_spans

CONSOLE_BLOCK = """```console
$ ip -br link
lo               UNKNOWN        00:00:00:00:00:00

eth0@if5         UP             02:42:ac:11:00:02
$ echo "done"
done
```
"""


def test_a_run_of_output_lines_becomes_one_span_with_the_same_text():
    html = highlighted(CONSOLE_BLOCK)
    assert html.count('<span class="go">') == 3  # what Pygments writes, or this checks nothing
    merged = merge_output_spans(html)
    assert text_of(merged) == text_of(html)
    assert merged.count('<span class="go">') == 2  # the run of three lines, then "done"
    assert '<span class="go">lo               UNKNOWN' in merged
    assert "00:00:00:00:00:00\n\neth0@if5" in merged


def test_an_output_line_is_never_merged_into_a_span_of_another_class():
    html = '<span class="s2">&quot;x&quot;</span>\n<span class="go">out</span>\n'
    assert merge_output_spans(html) == html
