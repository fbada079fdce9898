"""Publish only the rules of Material's main stylesheet that can apply somewhere on this site.

Material's main.css styles everything the theme and every Markdown extension can produce:
twelve admonition types with an icon each, Mermaid diagrams, annotations, task lists, version
selectors, source facts, and more. This site uses a part of it. Once every page is written,
the classes and ids that can ever be on an element are known: those the site's HTML carries
(in ``class`` and ``id`` attributes) and those its scripts can add (Material's bundle writes
the classes it adds as literal strings, or as a literal prefix of a template such as
``md-tag--${...}``, so every word and every such prefix in the site's JavaScript counts). A
selector that needs a class or an id outside that set can match nothing: it goes, and a rule
left with no selector goes. Then the custom properties nothing reads any more (no ``var()``
in the stylesheet, a page or a script names them) go: most of the file's icons are such
properties.

Only what a selector *requires* is judged: a class inside ``:is(...)`` or ``:not(...)`` may be
one alternative among several, so those selectors are kept (css_tokens.required_part).

The subset is published under a name made of its own hash, as Material names its files, and
every page's link is pointed at it: a browser that cached another subset never reuses it.
tests/browser/test_stylesheet_subset_in_chromium.py asks Chromium whether any selector left out
matches an element of any page, also after a reader's clicks (search, drawer, tabs), and
compares the computed style of every element of the small pages with Material's whole file.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError

# MkDocs puts hooks/ on sys.path while it loads a hook.
from css_tokens import GROUPING_RULES, blocks, required_part, selectors, split_declarations

_STYLESHEETS = "assets/stylesheets"
_MAIN = re.compile(r"^main\.[0-9a-f]+\.min\.css$")
_ATTRIBUTE_VALUES = re.compile(r'\b(?:class|id)="([^"]*)"')
_INLINE_SCRIPT = re.compile(r"<script\b[^>]*>(.*?)</script>", re.S | re.I)
_WORD = re.compile(r"[\w-]+")
# A literal prefix of a template string: `md-tag--${name}` (a class prefix ends in - or _; a
# `\n${` is no prefix).
_TEMPLATE_PREFIX = re.compile(r"([A-Za-z][\w-]*[-_])\$\{")
_ATTRIBUTE_SELECTOR = re.compile(r"\[[^\]]*\]")
_NAME = re.compile(r"[.#]((?:\\.|[\w-])+)")
_ESCAPE = re.compile(r"\\(.)")
_VAR = re.compile(r"var\(\s*(--[\w-]+)")
_PROPERTY_NAME = re.compile(r"--[\w-]+")


@dataclass(frozen=True)
class SiteNames:
    """The class and id names that can be on an element of the site."""

    words: frozenset[str]
    prefixes: tuple[str, ...]

    def knows(self, name: str) -> bool:
        return name in self.words or name.startswith(self.prefixes)


def site_names(pages: Iterable[str], scripts: Iterable[str]) -> SiteNames:
    """What the pages' ``class``/``id`` attributes hold and what the scripts could add."""
    words: set[str] = set()
    prefixes: set[str] = set()
    code = list(scripts)
    for page in pages:
        for value in _ATTRIBUTE_VALUES.findall(page):
            words.update(value.split())
        code.extend(_INLINE_SCRIPT.findall(page))
    for script in code:
        words.update(_WORD.findall(script))
        prefixes.update(_TEMPLATE_PREFIX.findall(script))
    return SiteNames(frozenset(words), tuple(sorted(prefixes)))


def selector_can_match(selector: str, names: SiteNames) -> bool:
    """False when the selector requires a class or an id no element of the site can have."""
    required = _ATTRIBUTE_SELECTOR.sub("", required_part(selector))
    return all(names.knows(_ESCAPE.sub(r"\1", name)) for name in _NAME.findall(required))


def each_rule(css: str, rewrite: Callable[[str, str], str | None]) -> str:
    """``css`` with each style rule replaced by ``rewrite(prelude, body)`` (None: the rule
    goes), inside ``@media`` and its kind too (left out when emptied); other at-rules as written."""
    out: list[str] = []
    for prelude, body in blocks(css):
        if prelude.startswith(GROUPING_RULES):
            inner = each_rule(body, rewrite)
            if inner:
                out.append(f"{prelude}{{{inner}}}")
        elif prelude.startswith("@"):
            out.append(f"{prelude}{{{body}}}")
        elif (rule := rewrite(prelude, body)) is not None:
            out.append(rule)
    return "".join(out)


def subset_rules(css: str, names: SiteNames) -> str:
    """``css`` without the selectors that cannot match and the rules they leave empty."""

    def matching(prelude: str, body: str) -> str | None:
        kept = [part for part in selectors(prelude) if selector_can_match(part, names)]
        return f"{','.join(kept)}{{{body}}}" if kept else None

    return each_rule(css, matching)


def properties_read_outside(pages: Iterable[str], scripts: Iterable[str]) -> set[str]:
    """Custom properties the pages read (``var()`` in their inline styles, or in a stylesheet
    of the site's own) and those a script
    may set or read by name (``style.setProperty("--x", …)``)."""
    read = {name for page in pages for name in _VAR.findall(page)}
    read.update(name for script in scripts for name in _PROPERTY_NAME.findall(script))
    return read


def without_unread_properties(css: str, read_outside: set[str]) -> str:
    """``css`` without the custom properties that nothing reads: no ``var()`` in it and none in
    ``read_outside``. Repeated until nothing changes: a property read only by one that goes,
    goes next."""
    while True:
        smaller = _drop_properties(css, read_outside | set(_VAR.findall(css)))
        if smaller == css:
            return css
        css = smaller


def _drop_properties(css: str, read: set[str]) -> str:
    def unread(part: str) -> bool:
        return part.strip().startswith("--") and part.split(":", 1)[0].strip() not in read

    def read_only(prelude: str, body: str) -> str | None:
        kept = [part for part in split_declarations(body) if not unread(part)]
        return f"{prelude}{{{';'.join(kept)}}}" if any(part.strip() for part in kept) else None

    return each_rule(css, read_only)


def subset_stylesheet(
    css: str, pages: list[str], scripts: list[str], stylesheets: Sequence[str] = ()
) -> str:
    """Material's stylesheet as far as ``pages`` and ``scripts`` can use it; the site's other
    ``stylesheets`` (the lab's, loaded on a click) may read its custom properties too."""
    rules = subset_rules(css, site_names(pages, scripts))
    return without_unread_properties(
        rules, properties_read_outside([*pages, *stylesheets], scripts)
    )


def theme_stylesheets(config: MkDocsConfig) -> set[str]:
    """The names of the theme's own main stylesheets (Material's file, whatever its hash)."""
    return {
        path.name
        for folder in config.theme.dirs
        for path in (Path(folder) / _STYLESHEETS).glob("main.*.min.css")
    }


def publish_subset(site: Path, config: MkDocsConfig) -> None:
    """Replace Material's main stylesheet in the built ``site`` by its subset, and point every
    page at it. Nothing to do when the theme published no such file.

    A dirty build (``mkdocs build --dirty``, ``serve --dirty``) keeps the last build's files:
    the subset it published, which some pages still link, beside Material's file copied again.
    The earlier subset goes, and every page links the new one."""
    folder = site / _STYLESHEETS
    found = sorted(path for path in folder.glob("main.*.min.css") if _MAIN.match(path.name))
    material_names = theme_stylesheets(config)
    materials = [path for path in found if path.name in material_names]
    if not materials:
        return
    if len(materials) > 1:
        raise PluginError(f"material_css_subset: more than one main stylesheet in {folder}")
    material = materials[0]
    earlier = [path for path in found if path != material]
    # One walk of the site (with the lab published, thousands of files), read by kind.
    by_kind: dict[str, list[Path]] = {".html": [], ".js": [], ".mjs": [], ".css": []}
    for path in sorted(site.rglob("*")):
        if path.suffix in by_kind and path.is_file():
            by_kind[path.suffix].append(path)
    pages = {path: path.read_text(encoding="utf-8") for path in by_kind[".html"]}
    # Classic scripts and modules (the lab's, loaded on a click) alike.
    scripts = [path.read_text(encoding="utf-8") for path in by_kind[".js"] + by_kind[".mjs"]]
    others = [path.read_text(encoding="utf-8") for path in by_kind[".css"] if path not in found]
    try:
        subset = subset_stylesheet(
            material.read_text(encoding="utf-8"), list(pages.values()), scripts, others
        )
    except ValueError as error:
        raise PluginError(f"material_css_subset: {material}: {error}") from error
    digest = hashlib.sha256(subset.encode()).hexdigest()[:8]
    published = folder / f"main.{digest}.min.css"
    published.write_text(subset, encoding="utf-8")
    linked = [path.name for path in found if path != published]
    for path, page in pages.items():
        relinked = page
        for name in linked:
            relinked = relinked.replace(name, published.name)
        if relinked != page:
            path.write_text(relinked, encoding="utf-8")
    for path in [material, *earlier]:
        if path != published:
            path.unlink()
    # Material's source map describes the whole file, which is no longer published.
    material.with_name(material.name + ".map").unlink(missing_ok=True)
