"""A reader who follows a whole post in the lab in the page (issue #25): every section's
"Try it in your browser", then every block's "Type these commands", in page order, as the
published site offers them. Each command a block shows prints what the page shows, through the
lab's own comparison (lab/labrun/compare.py), in the reader's own terminal: a tty, an
interactive shell, the steps before a block typed by the page, a fresh PC restored from the
snapshot whenever the next block belongs to another transcript. The log is read strictly:
every line the buttons type, hidden steps too, in order, each printing what its transcript
says (testkit.lab_log).

lab/replay in the guest (test_transcripts_in_browser.py) checks the transcripts where the
sandbox and the test VM run them; this checks what the page's buttons do with them.

Marked `browserlab` (`make test-browser-lab`; minutes: a post's commands run in the emulator,
about 40 times slower than here). Skipped with the reason where the image, v86 or Chromium is
missing; failed instead when CI=true.
"""

from __future__ import annotations

import time
from typing import Any

import pytest

from labrun import compare, transcript
from testkit.browsing import ARTIFACTS, LAPTOP, Traffic
from testkit.lab_log import RESTORE, Log, published_steps, typed_sequence
from testkit.paths import LAB_DIR
from testkit.posts import PUBLISHED
from testkit.static_server import Server

pytestmark = pytest.mark.browserlab

# A post's commands in the emulator: a guard against a hung guest, not a speed check.
POST_MS = 1_800_000


@pytest.mark.parametrize("post", PUBLISHED, ids=lambda post: post.slug)
def test_every_block_of_a_post_typed_in_the_page_prints_what_the_page_shows(
    lab_site: Server, browser: Any, post
) -> None:
    steps = published_steps(lab_site.url, post.path)
    context = browser.new_context(viewport=LAPTOP, locale="en-US")
    traffic = Traffic()
    context.route("**/*", traffic.route)
    page = traffic.watch(context.new_page())
    try:
        page.goto(lab_site.url + post.path, wait_until="load")
        if steps is None:  # every transcript it shows declares not-in browser
            assert page.locator("h2[data-lab]").count() == 0
            assert page.locator(".lab-note").count() > 0
            return
        started = time.monotonic()
        clicked = 0
        for heading in page.locator("h2[data-lab]").all():
            heading.locator("xpath=following-sibling::p[1]/button").click()
            name = heading.get_attribute("id")
            page.locator(f'h2[id="{name}"][data-lab-open], .lab-failure').first.wait_for(
                timeout=90_000
            )
            assert page.locator(".lab-failure").count() == 0, page.locator(
                ".lab-failure"
            ).inner_text()
            for run in page.locator(".lab-run").all()[clicked:]:
                # A block in a collapsed box ("Clean up"): the reader opens it first.
                run.evaluate("button => button.closest('details')?.setAttribute('open', '')")
                run.click()
                clicked += 1
        page.wait_for_function(
            "document.querySelector('.lab-panel').dataset.typing === '0'", timeout=POST_MS
        )
        seconds = time.monotonic() - started
        log = page.locator(".lab-log").inner_text()
        (ARTIFACTS / f"lab-post-{post.slug}.log").write_text(log, encoding="utf-8")
        typed = [block for block in steps["blocks"] if block is not None]
        assert clicked == len(typed), "a block the page lists got no button, or one too many"
        print(f"{post.slug}: {clicked} blocks typed in {seconds:.0f} s")
        check_outputs(log, typed, steps)
        assert not traffic.blocked, traffic.blocked
        assert not traffic.errors, traffic.errors
    finally:
        context.close()


def check_outputs(log: str, typed: list[dict[str, Any]], steps: dict[str, Any]) -> None:
    """Every line the buttons typed, in order (lab_log.typed_sequence), shown or not: each
    command's output against its transcript's, the NOT_SHOWN note printing nothing."""
    parsed = {name: transcript.load(LAB_DIR / name) for name in steps["transcripts"]}
    reader = Log(log)
    renamings: dict[str, compare.Renaming] = {}
    failures = []
    for line in typed_sequence(steps, typed):
        output = reader.next(line)
        if line is RESTORE:
            renamings = {}  # a fresh PC: new random values
        elif line.kind == "note":
            assert output == [], f"the note printed {output}"
        elif line.kind == "run":
            assert line.index is not None
            command = parsed[line.transcript].steps[line.index]
            assert isinstance(command, transcript.Command)
            name = line.transcript
            renaming = renamings.get(name) or compare.pinned(
                each.text for each in parsed[name].commands
            )
            matched = compare.match_output(command.expected, output, renaming)
            if matched is None:
                failures.append(
                    f"{name}: {command.text}\n  expected {command.expected}\n  got {output}"
                )
            else:
                renamings[name] = matched
    assert not failures, "\n".join(failures)
