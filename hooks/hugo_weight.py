"""Order posts like Hugo: posts with a ``weight`` first (lowest weight first), then by date.

Hugo's default page order is weight ascending, then date descending, where weight 0 (or no
weight) means "unweighted" and sorts after every weighted page. Material's blog plugin only knows
``pin`` (which also draws a pin badge Hugo does not show), so instead this hook re-sorts the
post lists the blog plugin built, in every view (home, archive, categories), keeping Material's
look.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import event_priority
from mkdocs.structure.files import Files

from hugo_front_matter import parse_weight


def hugo_sort_key(meta: Mapping[str, Any]) -> tuple[int, int, float, str]:
    """Sort key for a post's front matter that reproduces Hugo's default order."""
    weight = parse_weight(meta.get("weight", 0)) or 0
    date = meta.get("date")
    if isinstance(date, dt.datetime):
        stamp = date.timestamp() if date.tzinfo else date.replace(tzinfo=dt.UTC).timestamp()
    elif isinstance(date, dt.date):
        stamp = dt.datetime(date.year, date.month, date.day, tzinfo=dt.UTC).timestamp()
    else:
        stamp = 0.0
    unweighted = 1 if weight == 0 else 0
    return (unweighted, weight, -stamp, str(meta.get("title", "")))


def blog_views(blog: Any) -> list[Any]:
    """Every view of Material's blog plugin (the home page, archive, categories), home first.

    Material has no public way to list them, so this is the site build's one call into the
    theme's internals: ``BlogPlugin._resolve_views(view)``, on a theme in maintenance mode whose
    end of life is announced. tests/hooks/test_hugo_weight.py checks its name, signature and
    walk, so a theme upgrade that changes it fails there, by name, not as a wrongly sorted page.
    (Material ships no type information, hence ``Any``.)
    """
    return list(blog._resolve_views(blog.blog))


# After the blog plugin (priority -50) has built its post lists and views.
@event_priority(-100)
def on_files(files: Files, *, config: MkDocsConfig) -> Files:
    blog = config.plugins.get("material/blog")
    if blog is None or not blog.config.enabled:
        return files
    for view in blog_views(blog):
        view.posts.sort(key=lambda post: hugo_sort_key(post.meta))
    return files
