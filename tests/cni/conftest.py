"""Fixtures for the CNI plugin tests: a throwaway sandboxed node per test."""

from __future__ import annotations

import pytest

from labrun import sandbox
from testkit.cninode import LAB_DIR, REFERENCE, Node
from testkit.policy import skip_or_fail


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
