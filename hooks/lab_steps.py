"""Publish beside each post whose lab runs in the page what its terminal types for each console
block: ``lab-steps.json`` (issue #25, the lab in the page).

A console block shows some sections of one transcript. Typed alone, its commands would not
always print what the page shows: the transcript runs steps before them that the page shows in
another block or not at all (loopback up, the lab VM's stand-in cards, `until` waits for a
server, a move into another namespace). So the page's terminal (docs/assets/lab/lab-panel.mjs)
types, before a block's commands, every step of its transcript it has not typed yet, marked as
such; and it restores the snapshot first when the reader turns to another transcript or goes
back in this one. For that it needs each transcript's steps, read with snippets_grammar as the
lab's parser reads them (building the site imports no lab code), and which steps each block
shows:

    {"transcripts": {"genesis-of-pod-ip-addresses/03-veth.console":
                         [{"run": "ip link set lo up"}, {"enter": "laptop"}, {"leave": ""}]},
     "blocks": [null, {"transcript": "genesis-of-pod-ip-addresses/03-veth.console",
                       "shows": [2, 3]}]}

``blocks`` has one entry per console block of the page, in order (the n-th console fence is the
n-th console block, as hooks/lab_controls.py matches them): null for a block the lab does not
type (its transcript cannot run in the browser, or it shows output only). The file is fetched
on a click only; a page with no block to type gets none.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.pages import Page

# MkDocs puts hooks/ on sys.path while it loads a hook.
import lab_controls
from shared_grammar import snippets_grammar

FILE_NAME = "lab-steps.json"  # docs/assets/lab/lab-panel.mjs fetches it by this name


class LabStepsError(ValueError):
    """A console block the lab could not type as the page shows it."""


def step_json(step: snippets_grammar.LabStep) -> dict[str, str]:
    return {step.kind: step.text}


def block_steps(
    targets: list[snippets_grammar.Target], steps: list[snippets_grammar.LabStep]
) -> list[int]:
    """The indexes of the steps a block shows, in order: the commands of the sections it
    includes (a whole-file include shows them all)."""
    shown: set[int] = set()
    for target in targets:
        if target.lines is not None:
            raise LabStepsError(
                f"'{target}' includes a transcript by lines: the lab in the page types a "
                "block's commands by section; include a section ('path:name')"
            )
        shown.update(
            index
            for index, step in enumerate(steps)
            if step.kind == "run" and (target.section is None or target.section in step.sections)
        )
    return sorted(shown)


def page_steps(plan: lab_controls.Plan, read: Callable[[str], str | None]) -> dict[str, Any] | None:
    """The page's lab-steps.json (module docstring), or None when it has no block to type."""
    transcripts: dict[str, list[dict[str, str]]] = {}
    blocks: list[dict[str, Any] | None] = []
    runs = {path for section in plan.sections for path in section.runs}
    for out, targets in zip(plan.blocks_out, plan.block_includes, strict=True):
        typed = [target for target in targets if target.path in runs]
        paths = sorted({target.path for target in typed})
        if out or not paths:
            blocks.append(None)
            continue
        if len(paths) > 1:
            raise LabStepsError(
                f"a console block shows two transcripts ({', '.join(paths)}): the lab in the "
                "page types one transcript's steps in order; give each its own block"
            )
        text = read(paths[0])
        if text is None:  # hooks/snippet_includes.py names the missing file
            blocks.append(None)
            continue
        steps = snippets_grammar.lab_steps(text)
        shows = block_steps(typed, steps)
        if not shows:
            blocks.append(None)
            continue
        transcripts[paths[0]] = [step_json(step) for step in steps]
        blocks.append({"transcript": paths[0], "shows": shows})
    if not transcripts:
        return None
    return {"transcripts": transcripts, "blocks": blocks}


def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    plan, read = lab_controls.page_plan(page, config)
    try:
        steps = page_steps(plan, read)
    except LabStepsError as error:
        raise PluginError(f"lab_steps: docs/{page.file.src_uri}: {error}") from error
    if steps is not None:
        target = Path(page.file.abs_dest_path).parent / FILE_NAME
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(steps, separators=(",", ":")) + "\n", encoding="utf-8")
    return output
