"""A lab test that cannot run here is skipped with its reason locally, and fails in CI."""

from __future__ import annotations

import pytest
from labtest import skip_or_fail


def test_without_ci_a_missing_feature_skips_with_the_reason(monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="no user namespaces"):
        skip_or_fail("no user namespaces")


def test_in_ci_a_missing_feature_fails(monkeypatch):
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="cannot run in CI: no user namespaces"):
        skip_or_fail("no user namespaces")
