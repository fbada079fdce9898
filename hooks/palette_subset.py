"""Serve only the rules of Material's palette.css that the site's own palette can use.

Material links one palette.css on every page that has a palette: the light and dark schemes
plus every primary and accent colour it offers, of which a site with one colour uses a quarter
(tools/bench/bench_rewrites.py prints what the subset saves on a first load). Material's
script only ever sets ``data-md-color-scheme``, ``-primary`` and ``-accent`` to the values of the
palette entries in ``mkdocs.yml`` (the toggle's inputs carry them), so a rule whose selector asks
for another value can never apply: those selectors are dropped, every other rule is kept as
written. The subset goes into each page, in a ``<style>`` where the link was:
as a file of its own it cost more, in gzip's per-file overhead and a render-blocking request,
and a page can never meet a stale copy after the palette or Material changes.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files

# MkDocs puts hooks/ on sys.path while it loads a hook.
from css_tokens import blocks, declarations, required_part, selectors

# Material's file name carries the hash of its content (templates/base.html links it).
_PALETTE_URI = re.compile(r"^assets/stylesheets/(palette\.[0-9a-f]+\.min\.css)$")
_MAIN_LINK = re.compile(r'href="(?:[^"]*/)?assets/stylesheets/(main\.[0-9a-f]+\.min\.css)"')
_PALETTE_LINK = re.compile(
    r'<link rel="stylesheet" href="(?:[^"]*/)?assets/stylesheets/(palette\.[0-9a-f]+\.min\.css)">'
)
_ATTRIBUTE = re.compile(r"\[data-md-color-(scheme|primary|accent)=[\"']?([\w-]+)[\"']?\]")
# A selector made of one primary or accent colour attribute and nothing else.
_COLOUR_ONLY = re.compile(r"\[data-md-color-(?:primary|accent)=[\"']?[\w-]+[\"']?\]")
# What Material's templates use when an entry leaves a key out (base.html, palette.html).
_DEFAULTS = {"scheme": "default", "primary": "indigo", "accent": "indigo"}


def used_colours(palette: Mapping[str, Any] | Iterable[Mapping[str, Any]]) -> dict[str, set[str]]:
    """The values each ``data-md-color-*`` attribute can take with this ``theme.palette``."""
    entries = [palette] if isinstance(palette, Mapping) else list(palette)
    used: dict[str, set[str]] = {key: set() for key in _DEFAULTS}
    for entry in entries:
        for key, default in _DEFAULTS.items():
            # Material writes "deep purple" as data-md-color-primary="deep-purple".
            value = str(entry.get(key) or default)
            used[key].add(value.replace(" ", "-").lower())
    return used


def selector_can_match(selector: str, used: Mapping[str, set[str]]) -> bool:
    """False when the selector asks for a colour attribute value the site never sets.

    Only what the selector itself requires counts: inside ``:is(...)``, ``:not(...)`` and other
    parentheses an attribute may be one alternative among several, so those are kept.
    """
    return all(value in used[key] for key, value in _ATTRIBUTE.findall(required_part(selector)))


def subset_palette(
    css: str, used: Mapping[str, set[str]], defaults: Mapping[str, str] | None = None
) -> str:
    """``css`` without the selectors that cannot match; rules left empty of selectors go too.

    With ``defaults`` (what main.css declares on ``:root``), a rule that only says again what
    ``:root`` says for a colour the site uses goes too: Material's default colours (indigo)
    are in main.css already, and the palette repeats them for the ``<body>`` that carries
    ``data-md-color-primary="indigo"``. Only when no other rule kept sets those properties:
    then the value every element inherits is the same with the rule or without it.
    """
    out: list[tuple[str, str]] = []
    for prelude, body in blocks(css):
        if prelude.startswith("@"):
            inner = subset_palette(body, used)
            if inner:
                out.append((prelude, inner))
            continue
        kept = [part for part in selectors(prelude) if selector_can_match(part, used)]
        if kept:
            out.append((",".join(kept), body))
    if defaults:
        out = _without_repeated_defaults(out, defaults)
    return "".join(f"{prelude}{{{body}}}" for prelude, body in out)


def _without_repeated_defaults(
    rules: list[tuple[str, str]], defaults: Mapping[str, str]
) -> list[tuple[str, str]]:
    def repeats_defaults(prelude: str, body: str) -> bool:
        declared = declarations(body)
        return all(_COLOUR_ONLY.fullmatch(part) for part in selectors(prelude)) and all(
            defaults.get(name) == value for name, value in declared.items()
        )

    repeated = [index for index, rule in enumerate(rules) if repeats_defaults(*rule)]
    elsewhere = set()
    for index, (_, body) in enumerate(rules):
        if index not in repeated:
            elsewhere.update(re.findall(r"(--[\w-]+)\s*:", body))
    return [
        rule
        for index, rule in enumerate(rules)
        if index not in repeated or elsewhere & set(declarations(rule[1]))
    ]


def root_declarations(main_css: str) -> dict[str, str]:
    """What main.css declares on ``:root`` alone, at the top level."""
    found: dict[str, str] = {}
    for prelude, body in blocks(main_css):
        if prelude == ":root":
            found.update(declarations(body))
    return found


def _material_palette(files: Files) -> File | None:
    return next((f for f in files if _PALETTE_URI.match(f.src_uri)), None)


def unpublish_palette(files: Files, config: MkDocsConfig) -> None:
    """Material's palette file and its map are not published: each page holds its subset."""
    material = _material_palette(files)
    if material is None or not config.theme["palette"]:
        return
    files.remove(material)
    source_map = files.get_file_from_path(material.src_uri + ".map")
    if source_map is not None:
        files.remove(source_map)


def inline_palette(html: str, css: str) -> str:
    """The page with its link to Material's palette replaced by ``css`` in a ``<style>``."""
    if "</style" in css.lower():
        raise ValueError("the palette CSS holds '</style', which would end the <style> early")
    return _PALETTE_LINK.sub(lambda _: f"<style>{css}</style>", html, count=1)


def inline_palette_subset(output: str, config: MkDocsConfig) -> str:
    """The page with its link to Material's palette replaced by the subset it can use."""
    match = _PALETTE_LINK.search(output)
    if match is None or not config.theme["palette"]:
        return output
    # Made again from Material's files for each page, which is cheap: no state between events.
    main = _MAIN_LINK.search(output)
    palette = _theme_file(config, match[1])
    try:
        defaults = (
            root_declarations(_theme_file(config, main[1]).read_text("utf-8")) if main else {}
        )
        used = used_colours(config.theme["palette"])
        subset = subset_palette(palette.read_text("utf-8"), used, defaults)
        return inline_palette(output, subset)
    except ValueError as error:
        raise PluginError(f"palette_subset: {palette}: {error}") from error


def _theme_file(config: MkDocsConfig, name: str) -> Path:
    for folder in config.theme.dirs:
        path = Path(folder) / "assets" / "stylesheets" / name
        if path.is_file():
            return path
    raise PluginError(f"palette_subset: {name} is in none of the theme's folders")
