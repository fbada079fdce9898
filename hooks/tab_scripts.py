"""Leave Material's content-tab scripts out of pages that have no content tabs.

Material writes two small inline scripts after every page's content (partials/javascripts/
content.html): one selects again the tab the reader last chose (feature ``content.tabs.link``),
the other opens the tab a link's ``#anchor`` points at. Both only look for content tabs
(pymdownx.tabbed's ``tabbed-set``); on a page without any they find nothing and do nothing,
yet weigh on the post's first load (tools/bench/bench_rewrites.py). Pages with tabs keep them.
"""

from __future__ import annotations

import re

# Material's scripts, recognised by what they start with: __md_get("__tabs") and the
# location.hash check on inputs named __tabbed_*.
_TAB_SCRIPT = re.compile(
    r'<script>var (?:tabs=__md_get\("__tabs"\)|target=document\.getElementById\(location\.hash'
    r"[^<]*__tabbed_)[^<]*</script>\n?"
)


def drop_tab_scripts(html: str) -> str:
    """The page without Material's content-tab scripts, unless it has content tabs."""
    if 'class="tabbed-set' in html:
        return html
    return _TAB_SCRIPT.sub("", html)
