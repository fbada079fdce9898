"""Read Hugo front matter and translate it into the metadata Material for MkDocs understands.

The posts are written for Hugo. Material's blog plugin reads ``title``, ``date``, ``draft``,
``tags`` and ``categories`` itself and silently ignores the other Hugo keys; this module gives
them their Hugo meaning:

==============  ===============================================================================
Hugo key        Here
==============  ===============================================================================
``summary``     ``<meta name="description">``, OpenGraph description, the excerpt on the home page
``showToc``     ``false`` hides the table of contents (``hide: [toc]``)
``cover``       ``image`` is shown under the title (unless ``hidden``) and becomes ``og:image``;
                ``alt`` and ``caption`` are its alt text and caption
``weight``      checked here, applied by ``hugo_weight.py`` (weighted posts first, like Hugo)
``lastmod``     checked here, applied by ``hugo_lastmod.py`` ("Updated" date, the feed's update)
``series``      checked here, applied by ``series.py`` ("Part N of M", reading order)
==============  ===============================================================================

It also turns the mistakes the blog plugin would report badly, or not at all, into one clear line
naming the file: TOML (``+++``) front matter, a quoted date, an unknown category, a cover image
that does not exist. The logic is pure functions; ``on_files`` and ``on_page_markdown`` at the
bottom only adapt them to MkDocs events.
"""

from __future__ import annotations

import datetime as dt
import posixpath
import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import yaml
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

POSTS_DIR = "posts/"
_YAML_FENCE = "---"
_TOML_FENCE = "+++"
POST_TEMPLATE = "blog-post.html"
HUGO_POST_TEMPLATE = "hugo-post.html"


class FrontMatterError(ValueError):
    """A post's front matter cannot be used; the message is one line naming file and line."""


def read_front_matter(text: str, path: str) -> dict[str, Any]:
    """Parse the YAML front matter at the top of ``text`` (a post stored at ``path``)."""
    return split_front_matter(text, path)[0]


def split_front_matter(text: str, path: str) -> tuple[dict[str, Any], str]:
    """The post's front matter, parsed, and the Markdown after it: the one reading of a post's
    header, for the hooks and for the tests and benchmarks that read posts."""
    raw = text.lstrip("\ufeff").splitlines(keepends=True)
    lines = [line.rstrip("\r\n") for line in raw]
    first = lines[0].strip() if lines else ""
    if first == _TOML_FENCE:
        raise FrontMatterError(
            f"{path}:1: TOML front matter (+++) is not supported; "
            "rewrite it as YAML between --- lines"
        )
    if first != _YAML_FENCE:
        raise FrontMatterError(f"{path}:1: a post must start with YAML front matter (---)")
    try:
        end = lines.index(_YAML_FENCE, 1)
    except ValueError:
        raise FrontMatterError(f"{path}:1: front matter is not closed by a --- line") from None
    try:
        meta = yaml.safe_load("\n".join(lines[1:end])) or {}
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 2 if mark else 1
        problem = getattr(error, "problem", None) or str(error).splitlines()[0]
        raise FrontMatterError(f"{path}:{line}: invalid YAML front matter: {problem}") from None
    if not isinstance(meta, dict):
        raise FrontMatterError(f"{path}:2: front matter must be a mapping of keys to values")
    return meta, "".join(raw[end + 1 :])


def key_line(text: str, key: str) -> int:
    """Line number (1-based) of ``key:`` in a post's text, so errors point at it; 1 if absent."""
    match = re.search(rf"^\s*{re.escape(key)}\s*:", text, flags=re.MULTILINE)
    return text.count("\n", 0, match.start()) + 1 if match else 1


def cover_uri(post_uri: str, image: str) -> str:
    """Site-relative URI of a cover image given as Hugo writes it, relative to the post."""
    if image.startswith("/"):
        return image.lstrip("/")
    return posixpath.normpath(posixpath.join(posixpath.dirname(post_uri), image))


def check_post(
    meta: Mapping[str, Any],
    *,
    post_uri: str,
    allowed_categories: list[str],
    file_exists: Callable[[str], bool],
) -> list[tuple[str, str]]:
    """Return the problems of one post's front matter as (key, message) pairs."""
    problems: list[tuple[str, str]] = []
    if not isinstance(meta.get("title"), str) or not meta["title"].strip():
        problems.append(("title", "a post needs a non-empty 'title'"))
    date = meta.get("date")
    if isinstance(date, str):
        problems.append(
            (
                "date",
                f"'date' is quoted ({date!r}); write it unquoted, e.g. "
                "date: 2023-01-15T00:03:07+01:00, so YAML reads a timestamp",
            )
        )
    elif not isinstance(date, dt.date):
        problems.append(("date", "a post needs a 'date' (e.g. date: 2023-01-15T00:03:07+01:00)"))
    for key in ("draft", "showToc"):
        if key in meta and not isinstance(meta[key], bool):
            problems.append((key, f"'{key}' must be true or false, not {meta[key]!r}"))
    if "weight" in meta and parse_weight(meta["weight"]) is None:
        problems.append(("weight", f"'weight' must be an integer, not {meta['weight']!r}"))
    for key in ("tags", "categories"):
        value = meta.get(key, [])
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            problems.append((key, f"'{key}' must be a list of names, e.g. [Kubernetes]"))
    categories = meta.get("categories", [])
    if isinstance(categories, list):
        for category in categories:
            if allowed_categories and category not in allowed_categories:
                problems.append(
                    (
                        "categories",
                        f"unknown category {category!r}; allowed: {', '.join(allowed_categories)}"
                        " (blog.categories_allowed in mkdocs.yml)",
                    )
                )
    problems.extend(_check_lastmod(meta.get("lastmod"), date))
    problems.extend(_check_series(meta.get("series")))
    problems.extend(_check_cover(meta.get("cover"), post_uri=post_uri, file_exists=file_exists))
    return problems


def _check_lastmod(lastmod: Any, date: Any) -> list[tuple[str, str]]:
    if lastmod is None:
        return []
    if isinstance(lastmod, str):
        return [
            (
                "lastmod",
                f"'lastmod' is quoted ({lastmod!r}); write it unquoted, e.g. "
                "lastmod: 2023-02-01, so YAML reads a date",
            )
        ]
    if not isinstance(lastmod, dt.date):
        return [("lastmod", f"'lastmod' must be a date (e.g. 2023-02-01), not {lastmod!r}")]
    day = lastmod.date() if isinstance(lastmod, dt.datetime) else lastmod
    if isinstance(date, dt.date):
        created = date.date() if isinstance(date, dt.datetime) else date
        if day < created:
            return [("lastmod", f"'lastmod' ({day}) is before the post's 'date' ({created})")]
    return []


def _check_series(series: Any) -> list[tuple[str, str]]:
    """Hugo reads ``series`` as a taxonomy (a list); a post here belongs to one series."""
    if series is None:
        return []
    names = series if isinstance(series, list) else [series]
    if len(names) != 1 or not isinstance(names[0], str) or not names[0].strip():
        return [("series", f"'series' must name one series, e.g. [Pod networking], not {series!r}")]
    return []


def _check_cover(
    cover: Any, *, post_uri: str, file_exists: Callable[[str], bool]
) -> list[tuple[str, str]]:
    if cover is None:
        return []
    if not isinstance(cover, dict) or not isinstance(cover.get("image"), str):
        return [("cover", "'cover' must be a mapping with an 'image' path")]
    problems = []
    uri = cover_uri(post_uri, cover["image"])
    if not file_exists(uri):
        problems.append(("cover", f"cover image {cover['image']!r} not found (looked for {uri})"))
    for key in ("alt", "caption"):
        if key in cover and not isinstance(cover[key], str):
            problems.append(("cover", f"'cover.{key}' must be text"))
    if "hidden" in cover and not isinstance(cover["hidden"], bool):
        problems.append(("cover", "'cover.hidden' must be true or false"))
    return problems


def parse_weight(value: Any) -> int | None:
    """Hugo reads ``weight`` as an integer and accepts it quoted ("998"); None if it is not one."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and re.fullmatch(r"-?\d+", value.strip()):
        return int(value)
    return None


def translate(meta: Mapping[str, Any], *, post_uri: str) -> dict[str, Any]:
    """Return the Material metadata that gives the Hugo keys of ``meta`` their Hugo meaning."""
    out: dict[str, Any] = {}
    summary = meta.get("summary")
    if isinstance(summary, str) and "description" not in meta:
        out["description"] = summary.strip()
    if meta.get("showToc") is False:
        out["hide"] = sorted({*meta.get("hide", []), "toc"})
    cover = meta.get("cover")
    if isinstance(cover, dict) and isinstance(cover.get("image"), str):
        out["cover_uri"] = cover_uri(post_uri, cover["image"])
    if "weight" in meta:
        out["weight"] = parse_weight(meta["weight"])
    # Material's post layout plus a visible draft badge (overrides/hugo-post.html).
    if meta.get("template", POST_TEMPLATE) == POST_TEMPLATE:
        out["template"] = HUGO_POST_TEMPLATE
    return out


def cover_markdown(cover: Mapping[str, Any]) -> str:
    """Markdown for the cover shown under the post's title; empty when ``hidden`` or absent."""
    if not cover or cover.get("hidden") or not isinstance(cover.get("image"), str):
        return ""
    alt = cover.get("alt", "").replace("]", "\\]")
    caption = cover.get("caption")
    # The cover is the first thing on screen (the page's largest paint): fetch it at once and
    # first (hooks/lazy_images.py defers every other image).
    image = f"![{alt}]({cover['image']}){{ loading=eager fetchpriority=high }}"
    parts = ['<figure class="post-cover" markdown>', "", image, ""]
    if caption:
        parts += [f"<figcaption>{caption}</figcaption>", ""]
    parts.append("</figure>")
    return "\n".join(parts) + "\n\n"


def is_post(src_uri: str) -> bool:
    return src_uri.startswith(POSTS_DIR) and src_uri.endswith(".md")


def first_problem(text: str, *, path: str, **check_args: Any) -> str | None:
    """The first problem of a post's source as one ``path:line: message`` line, or None."""
    try:
        meta = read_front_matter(text, path)
    except FrontMatterError as error:
        return str(error)
    problems = check_post(meta, **check_args)
    if not problems:
        return None
    key, message = problems[0]
    return f"{path}:{key_line(text, key)}: {message}"


# --- MkDocs adapters ------------------------------------------------------------------------


# Before the blog plugin (priority -50) reads the posts, so the first error is ours: one line.
@event_priority(100)
def on_files(files: Files, *, config: MkDocsConfig) -> Files:
    blog = config.plugins.get("material/blog")
    allowed = list(blog.config.categories_allowed) if blog else []
    docs_dir = Path(config.docs_dir)
    for file in files.documentation_pages():
        if not is_post(file.src_uri):
            continue
        path = (Path(docs_dir.name) / file.src_uri).as_posix()
        problem = first_problem(
            file.content_string,
            path=path,
            post_uri=file.src_uri,
            allowed_categories=allowed,
            file_exists=lambda uri: files.get_file_from_path(uri) is not None,
        )
        if problem:
            raise PluginError(problem)
    return files


def on_page_markdown(markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
    if not is_post(page.file.src_uri):
        return markdown
    page.meta.update(translate(page.meta, post_uri=page.file.src_uri))
    return cover_markdown(page.meta.get("cover", {})) + markdown
