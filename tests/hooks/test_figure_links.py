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


SVG = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 720 240"><text>x</text></svg>'


def test_an_svg_figure_gets_its_viewbox_size_so_it_keeps_its_room_before_it_loads():
    page = '<p><img alt="veth" src="../../img/02/veth.svg" /></p>'
    linked = link_figures(page, {"../../img/02/veth.svg": SVG}.get)
    assert '<img width="720" height="240" alt="veth" src="../../img/02/veth.svg" />' in linked


def test_a_sized_image_a_raster_one_and_an_svg_without_viewbox_keep_their_attributes():
    sized = '<p><img width="10" height="5" src="a.svg" /></p>'
    raster = '<p><img src="b.png" /></p>'
    bare = '<p><img src="c.svg" /></p>'
    files = {"a.svg": SVG, "b.png": SVG, "c.svg": '<svg xmlns="http://www.w3.org/2000/svg"/>'}
    for page in (sized, raster, bare):
        img = page.removeprefix("<p>").removesuffix("</p>")
        assert img in link_figures(page, files.get), page
