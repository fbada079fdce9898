"""The prose word counter the article's reading report uses (tools/bench/bench_article.py)."""

from __future__ import annotations

import pytest

from testkit.prose import section, word_count

SAMPLE = """## 4. Before

Four words, not counted.

## 5. The section

One two three.

```console
--8<-- "x.console:y"
$ not counted at all
```

!!! info "Title words"
    Four words in here.

    ```console
    --8<-- "x.console:z"
    ```

![alt text is not read](img.svg)

| a | b |
|---|---|
| five | six |

## 6. After

Not counted either.
"""


def test_section_stops_at_the_next_level_two_heading():
    text = section(SAMPLE, "## 5.")
    assert text.startswith("## 5. The section")
    assert "After" not in text and "Before" not in text


def test_only_prose_is_counted_code_includes_images_and_markers_are_not():
    # The heading "5. The section" (3), "One two three." (3), "Four words in here." (4),
    # the table's cells a, b, five, six (4).
    assert word_count(section(SAMPLE, "## 5.")) == 3 + 3 + 4 + 4


def test_a_missing_section_is_an_error_naming_it():
    with pytest.raises(ValueError, match="'## 9.'"):
        section(SAMPLE, "## 9.")
