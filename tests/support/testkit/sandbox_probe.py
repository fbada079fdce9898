"""The `sandbox_works` fixture: tests that run commands in a lab sandbox ask for it first."""

from __future__ import annotations

import pytest

from labrun import sandbox
from testkit.paths import LAB_DIR
from testkit.policy import skip_or_fail


@pytest.fixture(scope="session")
def sandbox_works() -> None:
    """Skip-or-fail, once per session, when this machine cannot make a sandbox (and why)."""
    reason = sandbox.probe(LAB_DIR)
    if reason:
        skip_or_fail(reason)
