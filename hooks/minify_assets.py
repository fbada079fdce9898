"""Publish the site's own stylesheets and scripts (``extra_css``, ``extra_javascript``) minified.

The sources in docs/assets/ keep their comments, which say why each rule exists; readers need
none of them. On the post's first load they were two thirds of those files' bytes (``make
bench``: 2.5 kB of gzip out of a page that must weigh no more than plain Material's). Material's
own files come minified already; only the files ``mkdocs.yml`` lists are touched.

The minifiers are deliberately small, and only do what cannot change the meaning of the site's
own code: comments go and runs of whitespace shrink, outside strings (CSS) and outside code
lines (JavaScript: whole-line ``//`` comments, indentation and blank lines; the scripts hold
no multi-line template literals, the one place where indentation would be data).
"""

from __future__ import annotations

import re

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files

# A CSS string (kept whole) or a comment (dropped); everything else is code.
_STRING = r"""("(?:\\.|[^"\\])*"|'(?:\\.|[^'\\])*')"""
_CSS_STRING = re.compile(_STRING, re.S)
_CSS_STRING_OR_COMMENT = re.compile(_STRING + r"|/\*.*?\*/", re.S)
# Whitespace next to these is never needed (`a , b > c { d ; }` is `a,b>c{d}`). Not next to
# `:` (a space before it is a descendant combinator: `.md-typeset :is(p)`), nor `(` or `)`
# (`screen and (max-width: 1px)` needs its spaces).
_CSS_PUNCTUATION_SPACE = re.compile(r"\s*([{};,>])\s*")


def minify_css(css: str) -> str:
    """The stylesheet without comments and with no whitespace it does not need."""
    # A comment between two words still separates them: it becomes a space, then squeezed.
    code = _CSS_STRING_OR_COMMENT.sub(lambda match: match[1] or " ", css)
    parts = _CSS_STRING.split(code)  # odd indexes: the strings, kept as written
    squeezed = (part if index % 2 else _squeeze_css(part) for index, part in enumerate(parts))
    return "".join(squeezed).strip()


def _squeeze_css(code: str) -> str:
    squeezed = _CSS_PUNCTUATION_SPACE.sub(r"\1", re.sub(r"\s+", " ", code))
    return squeezed.replace(";}", "}")


def minify_js(js: str) -> str:
    """The script without whole-line ``//`` comments, indentation or blank lines."""
    lines = (line.strip() for line in js.splitlines())
    return "\n".join(line for line in lines if line and not line.startswith("//")) + "\n"


MINIFIERS = {".css": minify_css, ".js": minify_js}


def own_assets(config: MkDocsConfig) -> set[str]:
    """The site's own stylesheets and scripts: the paths ``mkdocs.yml`` lists."""
    scripts = {str(getattr(script, "path", script)) for script in config.extra_javascript}
    return {*config.extra_css, *scripts}


def on_files(files: Files, *, config: MkDocsConfig) -> Files:
    for path in own_assets(config):
        file = files.get_file_from_path(path)
        minify = MINIFIERS.get(path[path.rfind(".") :]) if file else None
        if file is None or minify is None:
            continue
        files.remove(file)
        files.append(File.generated(config, file.src_uri, content=minify(file.content_string)))
    return files
