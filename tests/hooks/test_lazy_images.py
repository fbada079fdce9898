"""Images below the cover load lazily; an image that chose its loading keeps its choice."""

from __future__ import annotations

from lazy_images import lazy_images


def test_images_without_a_loading_attribute_become_lazy():
    html = '<p><img alt="veth" src="../../img/02/veth.svg" /></p>'
    assert (
        lazy_images(html) == '<p><img loading="lazy" alt="veth" src="../../img/02/veth.svg" /></p>'
    )


def test_an_eager_cover_stays_eager():
    html = '<figure class="post-cover"><img alt="x" loading="eager" src="c.jpeg" /></figure>'
    assert lazy_images(html) == html
