"""Template indentation goes; whitespace that shows (code, pre) and attribute values stay."""

from __future__ import annotations

from html_whitespace import collapse_whitespace


def test_indentation_between_tags_and_in_text_becomes_one_newline():
    html = '<div>\n      <a href="x">\n        Previous\n      </a>  \n\n  </div>'
    assert collapse_whitespace(html) == '<div>\n<a href="x">\nPrevious\n</a>\n</div>'


def test_runs_without_a_newline_are_left_alone():
    assert collapse_whitespace("<p>two  spaces</p>") == "<p>two  spaces</p>"


def test_preformatted_and_code_text_is_kept_as_written():
    html = (
        "<div>\n  <pre><code>$ ip link\n    indented\n</code></pre>\n"
        "  <p>run <code>a\n   b</code> or <kbd>Ctrl\n  C</kbd></p>\n"
        "  <textarea>\n  x</textarea>\n  <script>\n  var a;\n</script>\n</div>"
    )
    assert collapse_whitespace(html) == (
        "<div>\n<pre><code>$ ip link\n    indented\n</code></pre>\n"
        "<p>run <code>a\n   b</code> or <kbd>Ctrl\n  C</kbd></p>\n"
        "<textarea>\n  x</textarea>\n<script>\n  var a;\n</script>\n</div>"
    )


def test_attribute_values_and_comments_are_kept_as_written():
    html = '<img alt="a\n   b">\n   <!-- x\n   y -->\n  '
    assert collapse_whitespace(html) == '<img alt="a\n   b">\n<!-- x\n   y -->\n'
