"""The HTML rewrites as one pipeline (hooks/html_rewrites.py): their order, and their combined
output on a specimen page against a golden file.

The specimen (specimens/every-rewrite.md) holds something for every rewrite to change; the build
is the real one (``mkdocs build`` with the site's hooks and theme), run in this process so each
rewrite's input and output can be recorded (testkit.rewrite_steps). The golden file is the
specimen's page as a reader gets it, with the bodies of inline styles and scripts elided (their
sources are tested where they are written): a change of Material's markup, of a rewrite or of
their order shows here as one readable diff. After a deliberate change, rewrite it with
``GOLDEN_UPDATE=1 .venv/bin/pytest tests/hooks/test_html_rewrites.py`` and review the diff.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

import html_rewrites
from testkit.rewrite_steps import SITE, Step, record_build
from testkit.site_build import copy_sources

SPECIMENS = Path(__file__).parent / "specimens"
SPECIMEN = SPECIMENS / "every-rewrite.md"
GOLDEN = SPECIMENS / "every-rewrite.golden.html"
PAGE_URL = f"posts/{SPECIMEN.stem}/"
_INLINE_BODY = re.compile(r"<(style|script)(\b[^>]*)>(?!</)(.*?)</\1>", re.S)
# The subset of Material's stylesheet is named by its hash, which any post's markup can change.
_SUBSET_NAME = re.compile(r"assets/stylesheets/main\.[0-9a-f]+\.min\.css")


@pytest.fixture(scope="module")
def specimen_build(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, list[Step]]]:
    project = copy_sources(tmp_path_factory.mktemp("rewrites"))
    shutil.copy2(SPECIMEN, project / "docs" / "posts" / SPECIMEN.name)
    shutil.copytree(SPECIMENS / "img", project / "img" / "specimens")
    site = project / "site"
    return site, record_build(project, site)


def elided(page: str) -> str:
    """The page with each inline style's and script's body left out (src scripts stay), and
    the stylesheet's hash too."""
    page = _SUBSET_NAME.sub("assets/stylesheets/main.HASH.min.css", page)
    return _INLINE_BODY.sub(lambda m: f"<{m[1]}{m[2]}>…</{m[1]}>", page)


def test_content_rewrites_come_before_the_page_rewrites() -> None:
    phases = [rewrite.phase for rewrite in html_rewrites.REWRITES]
    assert phases == sorted(phases, key=["content", "page", "site"].index)
    names = [rewrite.name for rewrite in html_rewrites.REWRITES]
    assert len(set(names)) == len(names)


def test_each_rewrite_is_a_module_of_the_same_name() -> None:
    hooks = Path(html_rewrites.__file__).parent
    missing = [r.name for r in html_rewrites.REWRITES if not (hooks / f"{r.name}.py").is_file()]
    assert missing == []


def test_every_rewrite_changes_the_specimen(specimen_build) -> None:
    _, steps = specimen_build
    ran = [step.rewrite for step in [*steps[PAGE_URL], *steps[SITE]]]
    assert ran == [rewrite.name for rewrite in html_rewrites.REWRITES]
    idle = [step.rewrite for step in [*steps[PAGE_URL], *steps[SITE]] if step.before == step.after]
    assert idle == [], "the specimen gives these rewrites nothing to do: the golden misses them"


def test_the_404_page_gets_the_page_rewrites(specimen_build) -> None:
    _, steps = specimen_build
    page_rewrites = [r.name for r in html_rewrites.REWRITES if r.phase == "page"]
    assert [step.rewrite for step in steps["404.html"]] == page_rewrites


def test_the_specimen_page_matches_its_golden_file(specimen_build) -> None:
    site, _ = specimen_build
    page = elided((site / PAGE_URL / "index.html").read_text(encoding="utf-8"))
    if os.environ.get("GOLDEN_UPDATE") == "1":
        GOLDEN.write_text(page, encoding="utf-8")
    expected = GOLDEN.read_text(encoding="utf-8")
    assert page == expected, (
        f"{PAGE_URL} differs from {GOLDEN.name}; if the change is meant, run with GOLDEN_UPDATE=1 "
        "and review the diff"
    )
