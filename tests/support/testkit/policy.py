"""The one skip-or-fail policy: a test this machine cannot run is skipped with its reason, and
in CI (`CI=true`) that is a failure, never a green skip. Tests call this, not `pytest.skip`.
"""

from __future__ import annotations

import os
import shutil
from typing import NoReturn

import pytest


def skip_or_fail(reason: str) -> NoReturn:
    """Skip with ``reason`` here; fail with it in CI, where every test must run."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"cannot run in CI: {reason}", pytrace=False)
    pytest.skip(reason)


def require_tool(name: str, package: str) -> str:
    """The path of program ``name``, or skip-or-fail naming the Debian package that has it."""
    path = shutil.which(name)
    if path is None:
        skip_or_fail(
            f"{name} is not installed (apt-get install {package}, "
            "or: sudo lab/provision.sh lab/packages.txt tools/testvm/packages.txt)"
        )
    return path


def skip_kernel_lacks(reason: str) -> NoReturn:
    """Skip with ``reason``, in CI too: the running kernel lacks a feature (`#lab: requires
    kernel:TYPE`) that no package installs. The VM suite runs the test on Debian 12's kernel,
    and fails there if that kernel lacks it."""
    pytest.skip(reason)
