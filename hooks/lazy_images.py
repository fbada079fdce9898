"""Let the browser fetch a page's images only when the reader scrolls near them.

The article holds a dozen figures, most of them far below the first screen; loading them all up
front costs requests and bytes before the reader sees anything. Every `<img>` without a
`loading` attribute gets `loading="lazy"`; the cover, which is the first thing on screen, says
`loading="eager"` (see hugo_front_matter.cover_markdown) and is left alone.
"""

from __future__ import annotations

import re

_IMG_WITHOUT_LOADING = re.compile(r"<img\b(?![^>]*\bloading=)")


def lazy_images(html: str) -> str:
    """Add `loading="lazy"` to every image that does not choose its loading already."""
    return _IMG_WITHOUT_LOADING.sub('<img loading="lazy"', html)
