"""Every highlighted code block carries Material's copy button in the HTML, pointing at its code."""

from __future__ import annotations

import re

from highlighting import highlighted, text_of

from copy_buttons import TITLE, add_copy_buttons

BLOCKS = """```console
$ ip netns list
```

```python title="netns.py"
print("pod1")
```

```text {.no-copy}
not copied
```
"""


def test_each_block_gets_a_button_aimed_at_its_own_code():
    html = add_copy_buttons(highlighted(BLOCKS))
    buttons = re.findall(r'<button class="md-code__button"([^>]*)></button>', html)
    assert buttons == [
        f' title="{TITLE}" data-clipboard-target="#__copy_0" data-md-type="copy"',
        f' title="{TITLE}" data-clipboard-target="#__copy_1" data-md-type="copy"',
    ]
    # The button sits in the <pre>, before the code it copies (Material's own place for it).
    first = r'<pre><span></span><nav class="md-code__nav">.*?</nav><code id="__copy_0">'
    assert re.search(first, html)
    assert re.search(r'<span class="filename">netns.py</span><pre>.*?<code id="__copy_1">', html)


def test_a_no_copy_block_and_the_text_of_every_block_stay_as_they_were():
    before = highlighted(BLOCKS)
    after = add_copy_buttons(before)
    assert text_of(after) == text_of(before)
    assert re.search(r"<pre><span></span><code>not copied", after)


def test_html_without_highlighted_code_is_left_alone():
    html = '<div class="md-copyright__highlight"><pre><code>x</code></pre></div><p><code>y</code>'
    assert add_copy_buttons(html) == html
