"""Put the site's own stylesheets and scripts (``extra_css``, ``extra_javascript``) into each
page, minified, where Material links them.

The sources in docs/assets/ keep their comments, which say why each rule exists; readers need
none of them: they were two thirds of those files' bytes. And small files cost more apart than
inside the page: gzip's per-file overhead, and a request each, the stylesheet's blocking the
first paint (``make bench``: a post's first load must weigh no more than plain Material's).
A script written into the page runs where it stands, at the end of ``<body>``, once the content
above it is parsed, as the deferred file did. Material's own files come minified already; only
the files ``mkdocs.yml`` lists are touched, and they are no longer published on their own.

The minifiers are deliberately small, and only do what cannot change the meaning of the site's
own code: comments go and runs of whitespace shrink, outside strings (CSS) and outside code
lines (JavaScript: whole-line ``//`` comments, indentation and blank lines; the scripts hold
no multi-line template literals, the one place where indentation would be data).
"""

from __future__ import annotations

import re
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import Files

# MkDocs puts hooks/ on sys.path while it loads a hook.
from css_tokens import tokens

# Whitespace next to these is never needed (`a , b > c { d ; }` is `a,b>c{d}`). Not next to
# `:` (a space before it is a descendant combinator: `.md-typeset :is(p)`), nor `(` or `)`
# (`screen and (max-width: 1px)` needs its spaces).
_CSS_PUNCTUATION_SPACE = re.compile(r"\s*([{};,>])\s*")


def minify_css(css: str) -> str:
    """The stylesheet without comments and with no whitespace it does not need."""
    pieces: list[str] = []
    code = ""  # code since the last string; a comment in it still separates words: a space
    for token in tokens(css):
        if token.kind == "string":
            pieces += [_squeeze_css(code), token.text]
            code = ""
        else:
            code += token.text if token.kind == "code" else " "
    pieces.append(_squeeze_css(code))
    return "".join(pieces).strip()


def _squeeze_css(code: str) -> str:
    squeezed = _CSS_PUNCTUATION_SPACE.sub(r"\1", re.sub(r"\s+", " ", code))
    # After a colon a space is never needed (`color: red`, `(max-width: 1px)`); before one it
    # can be a descendant combinator, so it stays.
    return squeezed.replace(": ", ":").replace(";}", "}")


def minify_js(js: str) -> str:
    """The script without whole-line ``//`` comments, indentation or blank lines."""
    lines = (line.strip() for line in js.splitlines())
    return "\n".join(line for line in lines if line and not line.startswith("//")) + "\n"


MINIFIERS = {".css": minify_css, ".js": minify_js}
# What ends the element an asset goes into, which the asset must not hold.
_CLOSING = {".css": "</style", ".js": "</script"}


def own_assets(config: MkDocsConfig) -> list[str]:
    """The site's own stylesheets and scripts: the paths ``mkdocs.yml`` lists."""
    scripts = [str(getattr(script, "path", script)) for script in config.extra_javascript]
    return [path for path in (*config.extra_css, *scripts) if Path(path).suffix in MINIFIERS]


def inline(html: str, path: str, source: str) -> str:
    """The page with the link to (or script from) ``path`` replaced by its minified source."""
    suffix = Path(path).suffix
    minified = MINIFIERS[suffix](source)
    if _CLOSING[suffix] in minified.lower():
        raise ValueError(f"it holds '{_CLOSING[suffix]}', which would end its element early")
    href = rf'"(?:[^"]*/)?{re.escape(path)}"'
    if suffix == ".css":
        tag, element = rf"<link\b[^>]*\bhref={href}[^>]*>", f"<style>{minified}</style>"
    else:
        tag, element = rf"<script\b[^>]*\bsrc={href}[^>]*></script>", f"<script>{minified}</script>"
    return re.sub(tag, lambda _: element, html)


def inline_own_assets(output: str, config: MkDocsConfig) -> str:
    """The page with each of the site's own stylesheets and scripts written into it."""
    for path in own_assets(config):
        source = Path(config.docs_dir) / path
        try:
            output = inline(output, path, source.read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            raise PluginError(f"inline_assets: {source}: {error}") from error
    return output


def unpublish_own_assets(files: Files, config: MkDocsConfig) -> None:
    """Every page holds them: the files are not published."""
    for path in own_assets(config):
        file = files.get_file_from_path(path)
        if file is not None:
            files.remove(file)
