"""Gives the hooks the grammar they share with lab/ and tests/ (snippets_grammar/): not a hook
itself (mkdocs.yml does not list it), the one place that finds that package.

MkDocs puts only hooks/ on sys.path while it loads a hook, and snippets_grammar/ is a package at
the repository's root, beside mkdocs.yml. A hook imports it as
``from shared_grammar import snippets_grammar``, whatever order mkdocs.yml loads the hooks in.
"""

from __future__ import annotations

import sys
from pathlib import Path

_ROOT = str(Path(__file__).resolve().parent.parent)
if _ROOT not in sys.path:
    sys.path.append(_ROOT)

import snippets_grammar  # noqa: E402 - found through the path set above

__all__ = ["snippets_grammar"]
