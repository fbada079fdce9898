"""Each figure links to its own file; the cover and images already linked are left alone."""

from __future__ import annotations

from figure_links import link_figures

FIGURE = '<p><img alt="A veth pair" src="../../img/02/veth.svg" /></p>'
COVER = '<figure class="post-cover">\n<p><img alt="cover" src="../../img/02/cover.jpeg" /></p>'


def test_a_figure_becomes_a_link_to_its_file():
    assert link_figures(FIGURE) == (
        '<p class="figure"><a class="figure-link" href="../../img/02/veth.svg">'
        '<img alt="A veth pair" src="../../img/02/veth.svg" /></a></p>'
    )


def test_the_cover_an_inline_image_and_a_linked_image_are_left_alone():
    inline = '<p>See <img alt="icon" src="x.svg" /> here</p>'
    linked = '<p><a href="big.png"><img alt="x" src="small.png" /></a></p>'
    for html in (COVER, inline, linked):
        assert link_figures(html) == html


def test_an_escaped_src_stays_escaped_once():
    html = '<p><img alt="x" src="a&amp;b.svg" /></p>'
    assert 'href="a&amp;b.svg"' in link_figures(html)
