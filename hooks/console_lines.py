"""Render console blocks the way the lab reads a transcript: prompt, command, output.

A console block shows a lab transcript (lab/README.md): ``$ command``, then ``> `` lines that
continue it, then its output. Pygments' console lexer almost says which is which (``gp``: a
prompt, ``go``: output), but not quite: it reads a heredoc's ``> `` lines as output, an output
line starting with ``# `` or ``% `` as a prompt, and leaves blank output lines unmarked. Inside
commands its bash lexer colours words by their shape, not their meaning: the ``exec`` of
``ip netns exec`` as a shell builtin, the ``10`` of ``10.244.1.2`` as a number. This hook reads
each line's text with the transcript grammar (snippets_grammar.console_line_kind, which the
lab's transcript parser uses too) and writes the block
again, as a terminal shows it:

- a command or continuation line: its ``$ `` or ``> `` in a ``gp`` span (muted), the command
  as plain text in the code's own colour;
- each run of output lines, blank ones and their newlines included, in one ``go`` span (muted);
  inside it, an output line too long for a phone's width in a ``wrap`` span, so extra.css can
  mark where it wraps.

That is also less to send than a span per token and per output line (tools/bench/
bench_rewrites.py prints how much). And copying needs no script: while Material copies a block it
marks the code ``data-md-copying``, docs/assets/extra.css hides ``gp`` and ``go`` in it, and the
text left is the commands, one per line. Blocks holding markup that spans lines (highlighted
lines, line numbers) are left as Pygments wrote them.
"""

from __future__ import annotations

import html
import re

from shared_grammar import snippets_grammar

# pymdownx.highlight with pygments_lang_class: <div class="language-console highlight">, a title
# span maybe, then <pre><span></span><code>.
_CONSOLE_CODE = re.compile(
    r'(<div class="language-console\b[^"]*\bhighlight\b[^"]*"[^>]*>'
    r'(?:<span class="filename">[^<]*</span>)?<pre\b[^>]*>(?:<span></span>)?<code\b[^>]*>)'
    r"(.*?)(</code>)",
    re.S,
)
_TAG = re.compile(r"<[^>]*>")
# Output lines longer than this wrap on a 390 px phone (code at 12 px in the article's column).
WRAP_AT = 40
# Markup that spans lines (hl_lines, linenums): the line-by-line reading below would break it.
_MULTI_LINE_MARKUP = ('class="hll"', 'class="linenos"', "<table")


def line_kinds(lines: list[str]) -> list[str]:
    """``command``, ``continuation`` or ``output`` for each line of text, as the lab's
    transcript parser reads them (snippets_grammar.console_line_kind)."""
    kinds: list[str] = []
    for line in lines:
        continuing = bool(kinds) and kinds[-1] != "output"
        kinds.append(snippets_grammar.console_line_kind(line, continuing))
    return kinds


def mark_lines(code: str) -> str:
    """The inside of a console block's ``<code>``, written again line by line from its text."""
    ends_with_newline = code.endswith("\n")
    lines = (code[:-1] if ends_with_newline else code).split("\n")
    texts = [html.unescape(_TAG.sub("", line)) for line in lines]
    pieces: list[str] = []
    output: list[str] = []
    for index, (text, kind) in enumerate(zip(texts, line_kinds(texts), strict=True)):
        newline = "\n" if ends_with_newline or index < len(lines) - 1 else ""
        if kind == "output":
            line = _escape(text) + newline
            # A line a phone wraps gets an element of its own, for its wrap mark (extra.css).
            output.append(f'<span class="wrap">{line}</span>' if len(text) > WRAP_AT else line)
            continue
        if output:
            pieces.append(f'<span class="go">{"".join(output)}</span>')
            output = []
        prompt = text[:2] if text[1:2] == " " else text[:1]
        pieces.append(f'<span class="gp">{_escape(prompt)}</span>{_escape(text[len(prompt) :])}')
        pieces.append(newline)
    if output:
        pieces.append(f'<span class="go">{"".join(output)}</span>')
    return "".join(pieces)


def _escape(text: str) -> str:
    return html.escape(text, quote=False)


def mark_console_blocks(page_html: str) -> str:
    def mark(match: re.Match[str]) -> str:
        if any(markup in match[2] for markup in _MULTI_LINE_MARKUP):
            return match[0]
        return match[1] + mark_lines(match[2]) + match[3]

    return _CONSOLE_CODE.sub(mark, page_html)
