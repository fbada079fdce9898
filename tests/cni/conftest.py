"""Fixtures for the CNI plugin tests: a throwaway sandboxed node per test."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

# The lab engine's tests own the skip-or-fail policy; reuse it rather than copy it.
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "lab"))

from cninode import LAB_DIR, REFERENCE, Node  # noqa: E402
from labtest import skip_or_fail  # noqa: E402

from labrun import sandbox  # noqa: E402


@pytest.fixture(scope="session")
def sandbox_works() -> None:
    reason = sandbox.probe(LAB_DIR)
    if reason:
        skip_or_fail(reason)


@pytest.fixture(scope="session")
def reference_plugins() -> None:
    if not REFERENCE.exists():
        skip_or_fail(f"{REFERENCE} is missing: install containernetworking-plugins")


@pytest.fixture
def node(sandbox_works: None):
    """A fresh node (network sandbox) with pod1's namespace created; gone after the test."""
    with sandbox.Sandbox(LAB_DIR, LAB_DIR) as box:
        node = Node(box)
        node.pod("pod1")
        yield node
