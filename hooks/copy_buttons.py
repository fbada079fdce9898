"""Put each code block's copy button in the HTML, where Material's JavaScript would add it.

Material adds the buttons at load (feature ``content.code.copy``) or, with ``content.lazy``,
when a block scrolls into view. At load it blocks a phone's main thread with a forced layout per
block, on an article made of dozens of blocks; lazily, a keyboard user tabbing down the page
skips most of them: a button appears when its block comes into view, which is when the focus
has already moved past it. Written into the page, every button is in the tab order
from the start and the theme does no work for it. Material's clipboard.js integration listens
for clicks on any ``[data-clipboard-target]`` button, so copying and the "Copied to clipboard"
message work as before; the markup and title are Material's own (its ``renderClipboardButton``),
so its styles apply. Until the theme's script runs the buttons are hidden (docs/assets/extra.css,
``.no-js``): without JavaScript they could do nothing.

Each ``<code>`` of a highlighted block gets an id for the button to point at. A block marked
``{.no-copy}`` (a class on the fence) keeps no button, as with Material.
"""

from __future__ import annotations

import re

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

# pymdownx.highlight writes <div class="language-x highlight"><pre><span></span><code>, with
# <span class="filename">title</span> before <pre> when the block has a title.
_BLOCK = re.compile(
    r'(?P<div><div class="(?P<classes>[^"]*\bhighlight\b[^"]*)"[^>]*>'
    r'(?:<span class="filename">[^<]*</span>)?)'
    r"(?P<pre><pre\b[^>]*>(?:<span></span>)?)<code(?P<rest>[\s>])"
)
TITLE = "Copy to clipboard"  # Material's English text for clipboard.copy


def add_copy_buttons(html: str) -> str:
    """Give every highlighted code block Material's copy button and its code an id."""
    count = 0

    def add(match: re.Match[str]) -> str:
        nonlocal count
        if "no-copy" in match["classes"].split():
            return match.group(0)
        code_id = f"__copy_{count}"
        count += 1
        button = (
            f'<nav class="md-code__nav"><button class="md-code__button" title="{TITLE}" '
            f'data-clipboard-target="#{code_id}" data-md-type="copy"></button></nav>'
        )
        return f'{match["div"]}{match["pre"]}{button}<code id="{code_id}"{match["rest"]}'

    return _BLOCK.sub(add, html)


def on_page_content(html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
    return add_copy_buttons(html)
