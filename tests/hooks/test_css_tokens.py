"""hooks/css_tokens.py: the one reading of CSS the hooks share (strings, comments, code)."""

from __future__ import annotations

from css_tokens import code_characters, tokens


def test_strings_and_comments_are_tokens_of_their_own_and_nothing_is_lost() -> None:
    css = "a{content:\"}/*\";}/* a } comment */b{c:'x\\'y'}"
    found = [(token.kind, token.text) for token in tokens(css)]
    assert found == [
        ("code", "a{content:"),
        ("string", '"}/*"'),
        ("code", ";}"),
        ("comment", "/* a } comment */"),
        ("code", "b{c:"),
        ("string", "'x\\'y'"),
        ("code", "}"),
    ]
    assert "".join(text for _, text in found) == css
    assert all(css[t.start : t.start + len(t.text)] == t.text for t in tokens(css))


def test_code_characters_skip_what_is_quoted_or_commented() -> None:
    css = 'a{b:"{"}/*{*/c{}'
    braces = [index for index, char in code_characters(css) if char in "{}"]
    assert braces == [1, 7, 14, 15]
