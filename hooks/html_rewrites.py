"""Every rewrite of the site's finished HTML, in the order it runs: one list, read top to bottom.

MkDocs turns a page's Markdown into HTML (the *content*, the article alone), then the theme's
templates wrap it into the *page*; once every page is written, the *site* is whole. The
rewrites below change that HTML with regular expressions tied to Pygments' and Material's
markup, so their order matters (a figure must be linked before images are made lazy;
whitespace is collapsed after everything else has written; Material's stylesheet is cut to
what the finished pages use) and so does their combined effect. ``REWRITES`` is that order;
the hook functions only run it. tests/hooks/test_html_rewrites.py checks the list's shape and
runs it on a specimen page against a golden file; ``tools/bench/bench_rewrites.py`` prints
what each rewrite changes on the posts.

Each rewrite says why it is there: ``reader`` (the page reads or works better), or ``weight``
(fewer bytes or requests on a first load, ``make bench``). A ``weight`` rewrite that no longer
saves enough to pay for its code is a candidate for removal; the benchmark shows its figure.

The rewrites' code lives in one module each (``hooks/<name>.py``, pure functions, tested in
tests/hooks/); only this module is a hook. Some also need the site's files: the WebP renditions
the build adds, and the stylesheet and scripts that pages hold instead of linking
(``on_files``); a site rewrite works on the built site's files (``on_post_build``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

# MkDocs puts hooks/ on sys.path while it loads a hook.
import code_spans
import console_lines
import figure_links
import html_whitespace
import inline_assets
import lab_controls
import lazy_images
import material_css_subset
import noexec
import palette_subset
import tab_scripts
import webp_images


@dataclass(frozen=True)
class At:
    """Where a rewrite works: the page's URL (site-relative; a static template's file name,
    404.html, whose links are relative to the site's root too), the site's configuration, and
    its files (None once the pages are being written)."""

    url: str
    config: MkDocsConfig
    files: Files | None = None
    page: Page | None = None  # the page whose content is rewritten (its source names errors)


@dataclass(frozen=True)
class Rewrite:
    name: str
    phase: Literal["content", "page", "site"]
    pays_by: Literal["reader", "weight"]
    # A content or page rewrite: the HTML it returns for the HTML it is given.
    apply: Callable[[str, At], str] | None = None
    # What the rewrite changes in the site's files before any page is written: the files it
    # adds (WebP renditions) or the ones pages hold instead of linking them.
    files: Callable[[Files, MkDocsConfig], None] | None = None
    # A site rewrite: what it changes in the built site (its folder) once every page is written.
    built: Callable[[Path, MkDocsConfig], None] | None = None

    def __post_init__(self) -> None:
        site = self.phase == "site"
        if (self.built is not None) != site or (self.apply is None) != site:
            raise ValueError(f"{self.name}: a site rewrite has `built`, the others `apply`")


# The pictures webp_images.publish_webp made for this build, by image URI.
_pictures: dict[str, webp_images.Picture] = {}


def _publish_webp(files: Files, config: MkDocsConfig) -> None:
    _pictures.clear()
    _pictures.update(webp_images.publish_webp(files, config))


def _mark_lab_sections(html: str, at: At) -> str:
    if at.page is None:
        raise ValueError("lab controls are placed on a page's content, while its Markdown is known")
    try:
        return lab_controls.mark_page(html, at.page, at.config)
    except lab_controls.LabControlsError as error:
        raise PluginError(f"lab_controls: docs/{at.page.file.src_uri}: {error}") from error


def _link_figures(html: str, at: At) -> str:
    if at.files is None or at.page is None:
        raise ValueError("figure links are made on a page's content, while its files are known")
    return figure_links.link_page_figures(html, at.page, at.files)


REWRITES: tuple[Rewrite, ...] = (
    # The article's HTML, before the templates wrap it.
    Rewrite("noexec", "content", "reader", lambda h, at: noexec.label_untested_blocks(h)),
    Rewrite("lazy_images", "content", "weight", lambda h, at: lazy_images.lazy_images(h)),
    Rewrite("figure_links", "content", "reader", _link_figures),
    Rewrite("code_spans", "content", "weight", lambda h, at: code_spans.drop_invisible_spans(h)),
    Rewrite(
        "console_lines", "content", "reader", lambda h, at: console_lines.mark_console_blocks(h)
    ),
    # After console_lines: it rewrites the blocks' insides, this marks their opening tags.
    Rewrite("lab_controls", "content", "reader", _mark_lab_sections),
    # The whole page, once the templates have written it.
    Rewrite(
        "webp_images",
        "page",
        "weight",
        lambda h, at: webp_images.offer_webp(h, at.url, _pictures),
        files=_publish_webp,
    ),
    Rewrite(
        "palette_subset",
        "page",
        "weight",
        lambda h, at: palette_subset.inline_palette_subset(h, at.config),
        files=palette_subset.unpublish_palette,
    ),
    Rewrite(
        "inline_assets",
        "page",
        "weight",
        lambda h, at: inline_assets.inline_own_assets(h, at.config),
        files=inline_assets.unpublish_own_assets,
    ),
    Rewrite("tab_scripts", "page", "weight", lambda h, at: tab_scripts.drop_tab_scripts(h)),
    Rewrite(
        "html_whitespace", "page", "weight", lambda h, at: html_whitespace.collapse_whitespace(h)
    ),
    # The built site, once every page is written.
    Rewrite("material_css_subset", "site", "weight", built=material_css_subset.publish_subset),
)


def rewrite(html: str, phase: Literal["content", "page"], at: At) -> str:
    """``html`` after every rewrite of ``phase``, in the list's order."""
    for step in REWRITES:
        if step.phase == phase and step.apply is not None:
            html = step.apply(html, at)
    return html


# After hooks/img.py (200) has added img/'s files, before the blog plugin reads the posts.
@event_priority(150)
def on_files(files: Files, *, config: MkDocsConfig) -> Files:
    for step in REWRITES:
        if step.files is not None:
            step.files(files, config)
    return files


# At 0, after the plugins' own (the blog plugin counts the reading time on the HTML as written).
def on_page_content(html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
    return rewrite(html, "content", At(page.url, config, files, page))


# Last of all: the plugins have finished writing the page.
@event_priority(-100)
def on_post_page(output: str, *, page: Page, config: MkDocsConfig) -> str:
    return rewrite(output, "page", At(page.url, config))


def on_post_template(output: str, *, template_name: str, config: MkDocsConfig) -> str:
    """Static templates that are pages (404.html) get the page's rewrites too."""
    if not template_name.endswith(".html"):
        return output
    return rewrite(output, "page", At(template_name, config))


# Last of all: the plugins have written their files too (search index, sitemap, feed).
@event_priority(-100)
def on_post_build(*, config: MkDocsConfig) -> None:
    for step in REWRITES:
        if step.built is not None:
            step.built(Path(config.site_dir), config)
