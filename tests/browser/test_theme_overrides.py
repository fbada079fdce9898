"""The theme overrides stay minimal: each one is Material's own template plus a stated change."""

from __future__ import annotations

import re
from pathlib import Path

import material

from testkit.paths import REPO

MATERIAL_TEMPLATES = Path(material.__file__).parent / "templates"
LEADING_COMMENT = re.compile(r"\A\{#-.*?-#\}\n", re.DOTALL)
DIALOG = '<div class="md-search" data-md-component="search" role="dialog"'
DIALOG_NAME = " aria-label=\"{{ lang.t('search') }}\""


def test_search_partial_is_materials_own_plus_a_name_for_the_dialog():
    """A Material upgrade that changes partials/search.html fails here: copy it, re-add the name."""
    ours = (REPO / "overrides" / "partials" / "search.html").read_text(encoding="utf-8")
    theirs = (MATERIAL_TEMPLATES / "partials" / "search.html").read_text(encoding="utf-8")
    assert DIALOG + ">" in theirs
    expected = LEADING_COMMENT.sub("", theirs).replace(DIALOG, DIALOG + DIALOG_NAME)
    assert LEADING_COMMENT.sub("", ours) == expected
