"""hooks/lab_controls.py: which sections get the browser lab's button, which the declared
reason, and which blocks are not to be typed, read from a page's Markdown and placed in its
HTML by order."""

from __future__ import annotations

import pytest

import lab_controls

REASONS = {"b/out.console": "it needs amd64"}
MARKDOWN = """\
## 0. Prose only

## 1. Runs

```console
--8<-- "a/runs.console:one"
```

## 2. Mixed

```console
--8<-- "a/runs.console:two"
```

```console
--8<-- "b/out.console:three"
```

```python
--8<-- "a/script.py"
```

## 3. Out

```console
--8<-- "b/out.console:four"
```
"""
HTML = (
    '<h2 id="0">0</h2><p>x</p>'
    '<h2 id="1">1</h2><div class="language-console highlight">one</div>'
    '<h2 id="2">2</h2><div class="language-console highlight">two</div>'
    '<div class="language-console highlight">three</div>'
    '<div class="language-python highlight">py</div>'
    '<h2 id="3">3</h2><div class="language-console highlight">four</div>'
)


def plan() -> lab_controls.Plan:
    return lab_controls.read_plan(MARKDOWN, REASONS.get)


def test_sections_are_read_from_their_includes() -> None:
    sections = plan().sections
    assert [section.runs for section in sections] == [
        [],
        ["a/runs.console"],
        ["a/runs.console"],
        [],
    ]
    assert [section.reasons for section in sections] == [{}, {}, REASONS, REASONS]


def test_only_the_declared_blocks_of_a_mixed_section_are_kept_from_typing() -> None:
    assert plan().blocks_out == [False, False, True, False]


def test_the_html_gets_the_button_mark_the_notes_and_the_block_marks() -> None:
    html = lab_controls.mark_sections(HTML, plan(), "../vm/#setup")
    assert '<h2 data-lab="../vm/#setup" id="1">' in html
    assert '<h2 data-lab="../vm/#setup" id="2">' in html
    assert '<h2 id="0">' in html and '<h2 id="3">' in html
    assert (
        '<h2 id="3">3</h2><p class="lab-note">This section cannot run in your browser: '
        'it needs amd64. <a href="../vm/#setup">Follow it in the lab VM</a>.</p>'
    ) in html
    assert '</h2><p class="lab-note">Part of this section cannot run' in html
    assert html.count("language-console") == 4, "the blocks are left as they were"


def test_markdown_and_html_that_do_not_line_up_are_an_error() -> None:
    with pytest.raises(lab_controls.LabControlsError, match="headings"):
        lab_controls.mark_sections(HTML.replace('<h2 id="0">0</h2>', ""), plan(), "vm")
