"""Blocks the tests do not run carry a small marker whose title gives the reason."""

from __future__ import annotations

from bs4 import BeautifulSoup

from noexec import MARKER_TEXT, label_untested_blocks


def test_a_noexec_block_gets_a_marker_before_it_with_its_reason_as_title():
    html = (
        '<div class="language-shell noexec highlight" data-reason="macOS &amp; Windows only">'
        "<pre><code>brew install --cask vagrant</code></pre></div>"
    )
    labelled = label_untested_blocks(html)
    assert labelled.endswith(html)
    marker = BeautifulSoup(labelled, "html.parser").select_one("p.noexec-note abbr")
    assert marker is not None
    assert marker.get_text() == MARKER_TEXT == "not run by the tests"
    assert marker["title"] == "macOS & Windows only"


def test_every_noexec_block_gets_its_own_reason():
    html = "".join(
        f'<div class="language-shell noexec highlight" data-reason="{reason}"><pre></pre></div>'
        for reason in ("first", "second")
    )
    markers = BeautifulSoup(label_untested_blocks(html), "html.parser").select("p.noexec-note abbr")
    assert [marker["title"] for marker in markers] == ["first", "second"]


def test_checked_blocks_are_left_alone():
    html = '<div class="language-console highlight"><pre><code>$ ip link</code></pre></div>'
    assert label_untested_blocks(html) == html
