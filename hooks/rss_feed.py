"""Make the RSS plugin's feeds valid, reproducible RSS 2.0, dated like Hugo's ``index.xml``.

mkdocs-rss-plugin 1.19 writes four things feed readers stumble on, none of them configurable:

- ``<image><url>None</url>`` when no ``image`` is configured (its template tests whether the
  field is *defined*, and it always is). An RSS image needs the absolute URL of a GIF, JPEG or
  PNG; the site has no such logo, so an image without an absolute URL is dropped.
- A category once per front matter list it comes from (``categories`` and ``tags`` both name
  ``Kubernetes``): each is kept once, first occurrence first.
- ``<docs>`` set to ``repo_url``: in RSS 2.0 ``docs`` is the address of the format's own
  documentation, not of the site's sources, so a reader's app would point there for "about this
  feed". Hugo's feed has no ``docs``, and neither does this one.
- The channel's ``pubDate`` and ``lastBuildDate`` are the build time, so two builds of one commit
  differ. Hugo dates its feed with its newest page's date (``.Date`` of the list page), and so
  does this hook: the newest item's own ``pubDate``, or no channel date when there is no item.

The hook rewrites the files the plugin wrote, after it wrote them (``on_post_build``).
"""

from __future__ import annotations

import datetime as dt
import email.utils
from pathlib import Path
from urllib.parse import urlsplit
from xml.dom import minidom

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority

CHANNEL_DATES = ("pubDate", "lastBuildDate")


def tidy_feed(xml: str) -> str:
    """The RSS 2.0 document ``xml``, with the four fixes above. Raises ValueError on an item
    whose pubDate is missing or not an RFC 822 date, naming the item."""
    document = minidom.parseString(xml)
    if document.documentElement is None:
        raise ValueError("the feed has no root element")
    channel = _only_child(document.documentElement, "channel")
    for image in _children(channel, "image"):
        if not _is_absolute(_text(_only_child(image, "url"))):
            _remove(image)
    for docs in _children(channel, "docs"):
        _remove(docs)
    items = _children(channel, "item")
    for item in items:
        _keep_each_category_once(item)
    _date_channel_by_newest_item(document, channel, items)
    return document.toxml(encoding="UTF-8").decode("utf-8") + "\n"


def _keep_each_category_once(item: minidom.Element) -> None:
    seen: set[str] = set()
    for category in _children(item, "category"):
        name = _text(category)
        if name in seen:
            _remove(category)
        seen.add(name)


def _date_channel_by_newest_item(
    document: minidom.Document, channel: minidom.Element, items: list[minidom.Element]
) -> None:
    dated = [(_item_date(item), _text(_only_child(item, "pubDate"))) for item in items]
    for name in CHANNEL_DATES:
        for element in _children(channel, name):
            if not dated:
                _remove(element)
                continue
            for child in list(element.childNodes):
                element.removeChild(child)
            # The item's own text, so the channel date keeps the post's offset, as Hugo's does.
            element.appendChild(document.createTextNode(max(dated)[1]))


def _item_date(item: minidom.Element) -> dt.datetime:
    pub_dates = _children(item, "pubDate")
    text = _text(pub_dates[0]) if pub_dates else ""
    try:
        date = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError) as error:
        link = _text(_only_child(item, "link")) if _children(item, "link") else "?"
        raise ValueError(f"feed item {link}: pubDate {text!r} is not an RFC 822 date") from error
    # "-0000" (RFC 2822: UTC, local offset unknown) parses to a naive datetime.
    return date if date.tzinfo else date.replace(tzinfo=dt.UTC)


def _is_absolute(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def _children(parent: minidom.Element, tag: str) -> list[minidom.Element]:
    return [
        node
        for node in parent.childNodes
        if isinstance(node, minidom.Element) and node.tagName == tag
    ]


def _only_child(parent: minidom.Element, tag: str) -> minidom.Element:
    found = _children(parent, tag)
    if len(found) != 1:
        raise ValueError(f"<{parent.tagName}> has {len(found)} <{tag}> elements, not one")
    return found[0]


def _text(element: minidom.Element) -> str:
    return "".join(node.data for node in element.childNodes if node.nodeType == node.TEXT_NODE)


def _remove(element: minidom.Element) -> None:
    """Remove ``element`` and the blank text before it, so no empty line is left behind."""
    parent = element.parentNode
    if not isinstance(parent, minidom.Element):
        raise ValueError(f"<{element.tagName}> is not inside an element")
    before = element.previousSibling
    if isinstance(before, minidom.Text) and not before.data.strip():
        parent.removeChild(before)
    parent.removeChild(element)


def _feed_files(config: MkDocsConfig) -> list[Path]:
    rss = config.plugins.get("rss")
    if rss is None or not rss.config.enabled or not rss.config.rss_feed_enabled:
        return []
    names = rss.config.feeds_filenames
    return [Path(config.site_dir) / names.rss_created, Path(config.site_dir) / names.rss_updated]


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    rss = config.plugins.get("rss")
    if rss is not None and rss.config.enabled and rss.config.json_feed_enabled:
        # Before anything is built: the JSON feeds would carry the build-time dates again.
        raise PluginError(
            "mkdocs.yml: plugins: rss: json_feed_enabled: true publishes JSON feeds that "
            "hooks/rss_feed.py does not tidy (build-time dates); tidy them there first"
        )
    return config


# After the RSS plugin (its on_post_build has the default priority, 0) has written its feeds.
@event_priority(-100)
def on_post_build(*, config: MkDocsConfig) -> None:
    for path in _feed_files(config):
        try:
            tidied = tidy_feed(path.read_text(encoding="utf-8"))
        except ValueError as error:
            raise PluginError(f"{path.name}: {error}") from error
        path.write_text(tidied, encoding="utf-8")
