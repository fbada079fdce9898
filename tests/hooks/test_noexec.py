"""Blocks the tests do not run carry a visible reason on the page."""

from __future__ import annotations

from noexec import label_untested_blocks


def test_a_noexec_block_gets_its_reason_as_visible_text_before_it():
    html = (
        '<div class="language-shell noexec highlight" data-reason="macOS &amp; Windows only">'
        "<pre><code>brew install --cask vagrant</code></pre></div>"
    )
    labelled = label_untested_blocks(html)
    note = '<p class="noexec-note"><strong>Not run by the test suite:</strong> macOS &amp; Windows'
    assert labelled.startswith(note)
    assert labelled.endswith(html)


def test_checked_blocks_are_left_alone():
    html = '<div class="language-console highlight"><pre><code>$ ip link</code></pre></div>'
    assert label_untested_blocks(html) == html
