"""Each figure links to its own file; the cover and images already linked are left alone."""

from __future__ import annotations

import pytest

from figure_links import NarrowVariantError, link_figures

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


NARROW = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 340 610"><text>x</text></svg>'
WITH_NARROW = {"../../img/02/veth.svg": SVG, "../../img/02/veth.narrow.svg": NARROW}


def test_a_figure_with_a_narrow_variant_offers_it_below_the_phone_breakpoint():
    page = '<p><img loading="lazy" alt="veth" src="../../img/02/veth.svg" /></p>'
    assert link_figures(page, WITH_NARROW.get) == (
        '<p class="figure"><a class="figure-link figure-link--narrow" '
        'href="../../img/02/veth.svg"><picture>'
        '<source media="(max-width: 44.984375em)" srcset="../../img/02/veth.narrow.svg" '
        'width="340" height="610">'
        '<img width="720" height="240" loading="lazy" alt="veth" src="../../img/02/veth.svg" />'
        "</picture></a></p>"
    )


def test_a_figure_without_a_narrow_variant_a_raster_one_and_a_narrow_one_get_no_picture():
    files = WITH_NARROW | {"../../img/02/a.png.narrow.svg": NARROW, "x.narrow.narrow.svg": NARROW}
    for src in ("../../img/02/bridge.svg", "../../img/02/a.png", "x.narrow.svg"):
        linked = link_figures(f'<p><img alt="x" src="{src}" /></p>', files.get)
        assert "<picture>" not in linked, src


def test_a_drawing_made_for_a_phone_is_marked_narrow_and_a_wide_one_without_variant_is_not():
    files = {"phone.svg": NARROW, "wide.svg": SVG}
    phone = link_figures('<p><img alt="x" src="phone.svg" /></p>', files.get)
    wide = link_figures('<p><img alt="x" src="wide.svg" /></p>', files.get)
    assert '<a class="figure-link figure-link--narrow" href="phone.svg">' in phone
    assert "<picture>" not in phone
    assert '<a class="figure-link" href="wide.svg">' in wide


def test_a_narrow_variant_url_is_escaped_for_srcset_and_for_html():
    files = {"a b,&c.svg": SVG, "a b,&c.narrow.svg": NARROW}
    linked = link_figures('<p><img alt="x" src="a b,&amp;c.svg" /></p>', files.get)
    assert 'srcset="a%20b%2C&amp;c.narrow.svg"' in linked
    assert 'href="a b,&amp;c.svg"' in linked


def test_a_narrow_variant_without_viewbox_is_an_error_naming_its_file():
    files = {"v.svg": SVG, "v.narrow.svg": '<svg xmlns="http://www.w3.org/2000/svg"/>'}
    with pytest.raises(NarrowVariantError, match=r"^v\.narrow\.svg: a narrow variant needs a"):
        link_figures('<p><img alt="x" src="v.svg" /></p>', files.get)
