"""Finding one's way: a table of contents on every width, a series read in order, a way back.

The series' order is computed here from the posts' front matter (``series``, then ``date``), not
read from the page, so a third part is checked as soon as it is written.
"""

from __future__ import annotations

from urllib.parse import urljoin

import pytest

from testkit.posts import PUBLISHED, front_matter
from testkit.reading import EACH_SCREEN, open_screen

EACH_POST = [pytest.param(post, id=post.slug) for post in PUBLISHED]
TOC_LINKS = "nav.md-nav--secondary a[href^='#'], .post-toc a[href^='#']"


def series_of(post) -> list:
    """The posts of ``post``'s series in reading order (oldest first); [] when in none."""
    name = front_matter(post.source).get("series")
    if not name:
        return []
    same = [p for p in PUBLISHED if front_matter(p.source).get("series") == name]
    return sorted(same, key=lambda p: p.date)


IN_A_SERIES = [pytest.param(post, id=post.slug) for post in PUBLISHED if series_of(post)]


@pytest.mark.parametrize("screen", EACH_SCREEN)
@pytest.mark.parametrize("post", EACH_POST)
def test_table_of_contents_is_reachable_on_every_width(open_page, published_server, post, screen):
    tab = open_screen(open_page, published_server.url + post.path, screen, "light")
    page = tab.page
    headings = page.locator("article h2[id]").evaluate_all("hs => hs.map(h => '#' + h.id)")
    assert len(headings) >= 2
    # A table of contents folded in the article opens with one tap.
    folded = page.locator(".post-toc:visible > summary")
    if folded.count():
        folded.click()
    visible = page.locator(TOC_LINKS).evaluate_all(
        "links => links.filter(a => a.checkVisibility()).map(a => a.getAttribute('href'))"
    )
    assert [h for h in headings if h not in visible] == []
    # And a link goes there.
    page.locator(TOC_LINKS).filter(visible=True).and_(
        page.locator(f"a[href='{headings[-1]}']")
    ).first.click()
    page.wait_for_function(f"location.hash === {headings[-1]!r}")


@pytest.mark.parametrize("screen", EACH_SCREEN)
@pytest.mark.parametrize("post", IN_A_SERIES)
def test_a_series_reads_in_order_part_n_of_m_with_previous_and_next(
    open_page, published_server, post, screen
):
    parts = series_of(post)
    number = parts.index(post) + 1
    tab = open_screen(open_page, published_server.url + post.path, screen, "light")
    page = tab.page
    label = page.locator(".post-header .post-series summary")
    assert label.is_visible()
    assert f"Part {number} of {len(parts)}" in label.inner_text()

    label.click()  # the list of parts, in reading order
    listed = page.locator(".post-series__parts li").all_inner_texts()
    assert [text.strip() for text in listed] == [part.title for part in parts]

    def url_of(selector: str) -> str | None:
        link = page.locator(selector)
        return urljoin(page.url, link.get_attribute("href")) if link.count() else None

    expected_previous = parts[number - 2] if number > 1 else None
    expected_next = parts[number] if number < len(parts) else None
    for selector, expected in (
        ("a.md-footer__link--prev", expected_previous),
        ("a.md-footer__link--next", expected_next),
    ):
        want = published_server.url + expected.path if expected else None
        assert url_of(selector) == want, selector
    end = page.locator(".post-series--end")
    assert f"Part {number} of {len(parts)}" in end.inner_text()
    if expected_next:
        assert url_of(".post-series--end a[rel=next]") == published_server.url + expected_next.path


@pytest.mark.parametrize("post", EACH_POST)
def test_on_a_phone_a_post_opens_with_its_title_and_a_link_back_to_all_posts(
    open_page, published_server, post
):
    tab = open_screen(open_page, published_server.url + post.path, "phone", "light")
    page = tab.page
    back = page.locator("article a", has_text="All posts")
    assert back.is_visible()
    assert urljoin(page.url, back.get_attribute("href")) == published_server.url
    # No grey "Metadata" label above the title.
    title = page.locator("article h1").bounding_box()
    labels = page.get_by_text("Metadata", exact=True).filter(visible=True)
    assert labels.count() == 0
    assert title["y"] < 844 / 2
    back.click()
    page.wait_for_url(published_server.url)
