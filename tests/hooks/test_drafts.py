"""A published page that links to a draft is found, whatever the link's form."""

from __future__ import annotations

import pytest

from drafts import draft_links, linked_paths

DRAFTS = {"posts/draft/": "posts/draft.md"}


@pytest.mark.parametrize(
    "href",
    [
        pytest.param("../draft/", id="relative"),
        pytest.param("../draft/#section", id="with-anchor"),
        pytest.param("/posts/draft/", id="site-absolute"),
        pytest.param("../../posts/draft/?utm=x", id="with-query"),
    ],
)
def test_a_link_to_a_draft_is_reported(href):
    html = f'<p>See <a href="{href}">this</a>.</p>'
    assert draft_links(html, "posts/published/", DRAFTS) == ["posts/draft.md"]


@pytest.mark.parametrize(
    "href",
    [
        pytest.param("../other/", id="other-post"),
        pytest.param("https://example.org/posts/draft/", id="external"),
        pytest.param("#draft", id="anchor-only"),
    ],
)
def test_other_links_are_not_reported(href):
    assert draft_links(f'<a href="{href}">x</a>', "posts/published/", DRAFTS) == []


def test_home_page_links_resolve_from_the_site_root():
    assert linked_paths('<a href="posts/draft/">x</a>', "") == {"posts/draft/"}
