"""Code blocks: the copy button gives only the commands, and content tabs switch.

The copy buttons are checked on every published post and on the specimen post
(tests/browser/specimens/), whose transcript has the harder cases: a continued command, a heredoc,
blank output, an exit status. The posts have no content tabs any more; the specimen has them.
"""

from __future__ import annotations

import pytest

from testkit.browsing import ARTICLE_PATH
from testkit.console_blocks import commands, console_blocks
from testkit.posts import PUBLISHED

SPECIMEN = pytest.param(
    "specimen", "posts/browser-specimen/", "docs/posts/browser-specimen.md", id="specimen"
)
PAGES = [
    *(
        pytest.param("published", post.path, f"docs/posts/{post.slug}.md", id=post.slug)
        for post in PUBLISHED
    ),
    SPECIMEN,
]
# Opens every <details> around an element and selects every content tab holding it.
REVEAL = """element => {
    for (let node = element; node; node = node.parentElement) {
        if (node.tagName === "DETAILS") node.open = true;
        if (node.classList.contains("tabbed-block")) {
            const index = [...node.parentElement.children].indexOf(node);
            node.closest(".tabbed-set").querySelectorAll(":scope > input")[index].click();
        }
    }
}"""


@pytest.fixture
def served(request, open_page):
    """``served(site, path, markdown)``: a page of the published or specimen site, its source."""

    def open_(site: str, path: str, markdown: str):
        server = request.getfixturevalue(f"{site}_server")
        build = request.getfixturevalue(f"{site}_site")
        tab = open_page(server.url + path, permissions=["clipboard-read", "clipboard-write"])
        return tab, build.site.parent / markdown

    return open_


@pytest.mark.parametrize(("site", "path", "markdown"), PAGES)
def test_copy_button_of_every_console_block_copies_the_commands_without_prompts_or_output(
    served, site, path, markdown
):
    tab, source = served(site, path, markdown)
    page = tab.page
    expected = [commands(block) for block in console_blocks(source, source.parents[2])]
    blocks = page.locator(".language-console")
    assert blocks.count() == len(expected) > 0

    copied = []
    for index in range(blocks.count()):
        block = blocks.nth(index)
        block.evaluate(REVEAL)
        page.evaluate("navigator.clipboard.writeText('')")
        block.hover()
        block.locator("button[data-md-type=copy]").click()
        page.locator(".md-dialog--active").wait_for()  # Material's "Copied to clipboard"
        copied.append(page.evaluate("navigator.clipboard.readText()"))
    assert copied == expected
    assert not any(line.startswith("$ ") for text in copied for line in text.splitlines())
    assert tab.traffic.console == []


@pytest.mark.parametrize(("site", "path", "markdown"), [SPECIMEN])
def test_every_content_tab_shows_its_own_panel_when_clicked(served, site, path, markdown):
    tab, _ = served(site, path, markdown)
    page = tab.page
    sets = page.locator(".tabbed-set")
    assert sets.count() > 0
    for index in range(sets.count()):
        tabbed = sets.nth(index)
        tabbed.evaluate(REVEAL)
        labels = tabbed.locator(":scope > .tabbed-labels > label")
        panels = tabbed.locator(":scope > .tabbed-content > .tabbed-block")
        assert labels.count() == panels.count() >= 2
        for chosen in reversed(range(labels.count())):
            labels.nth(chosen).click()
            shown = [panels.nth(i).is_visible() for i in range(panels.count())]
            assert shown == [i == chosen for i in range(panels.count())], labels.nth(chosen)
    assert tab.traffic.console == []


def test_the_keyboard_reaches_every_copy_button_in_reading_order(open_page, published_server):
    """Tabbing down the article lands on each shown block's copy button, none skipped."""
    page = open_page(published_server.url + ARTICLE_PATH).page
    shown = page.evaluate(
        """[...document.querySelectorAll("article button[data-md-type=copy]")]
            .filter(button => button.checkVisibility())
            .map(button => button.dataset.clipboardTarget)"""
    )
    assert len(shown) > 30  # the article has dozens of console blocks
    reached = []
    for _ in range(2000):
        page.keyboard.press("Tab")
        focused = page.evaluate(
            """() => { const el = document.activeElement;
                return [el.dataset.mdType === "copy" ? el.dataset.clipboardTarget : null,
                        !!el.closest("footer")] }"""
        )
        if focused[1]:
            break
        if focused[0]:
            reached.append(focused[0])
    assert reached == shown


@pytest.mark.parametrize(("site", "path", "markdown"), [SPECIMEN])
def test_every_code_block_has_one_copy_button_before_its_code_but_a_no_copy_one(
    served, site, path, markdown
):
    tab, _ = served(site, path, markdown)
    buttons = tab.page.evaluate(
        """[...document.querySelectorAll("div.highlight")].map(block => [
            block.classList.contains("no-copy"),
            [...block.querySelectorAll("pre > nav.md-code__nav + code")].map(code =>
                [...block.querySelectorAll("button[data-md-type=copy]")].map(
                    button => button.dataset.clipboardTarget === "#" + code.id
                        && button.title === "Copy to clipboard"))])"""
    )
    assert [False, [[True]]] in buttons
    assert all(shown == ([] if no_copy else [[True]]) for no_copy, shown in buttons), buttons
    assert [True, []] in buttons
