"""Material's content-tab scripts stay on pages with content tabs and leave the others."""

from __future__ import annotations

from pathlib import Path

import material

from tab_scripts import drop_tab_scripts

# Material's own partial, as it is written into every page (its Jinja `if` left out).
PARTIAL = Path(material.__file__).parent / "templates" / "partials" / "javascripts" / "content.html"
SCRIPTS = "".join(
    line.strip() + "\n" for line in PARTIAL.read_text().splitlines() if "<script>" in line
)


def page(content: str) -> str:
    return f'<article>{content}</article>\n{SCRIPTS}<script id="__config">{{}}</script>'


def test_materials_partial_still_holds_the_two_scripts():
    assert SCRIPTS.count("<script>") == 2, SCRIPTS


def test_a_page_without_tabs_loses_both_scripts_and_nothing_else():
    assert drop_tab_scripts(page("<p>text</p>")) == (
        '<article><p>text</p></article>\n<script id="__config">{}</script>'
    )


def test_a_page_with_tabs_keeps_them():
    html = page('<div class="tabbed-set tabbed-alternate" data-tabs="1:2"></div>')
    assert drop_tab_scripts(html) == html
