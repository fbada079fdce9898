"""Suite-wide options (`--lab-update` / `--lab-fill` rewrite transcripts from real output) and
the shared fixtures of tests/support/testkit/, registered here once for every test folder.
"""

from __future__ import annotations

import types

import pytest

pytest_plugins = [
    "testkit.sandbox_probe",
    "testkit.site_fixtures",
    "testkit.browser_fixtures",
    "testkit.lab_site",
]


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("lab", "lab transcripts")
    group.addoption(
        "--lab-update",
        action="store_true",
        help="rewrite the output of transcript commands that changed (keeps '...', markers "
        "and published volatile values)",
    )
    group.addoption(
        "--lab-fill",
        action="store_true",
        help="write the output of transcript commands that have none yet",
    )


# What a test needs, read from what it uses: the fixtures it asks for (directly or through other
# fixtures) and the helpers its module imports. The marker says so, and `make check` leaves the
# slow kinds out (CHECK_MARKERS in the Makefile). `vm` and `network` are written on the tests
# themselves, and so are `site` and `programs` where a test starts them with no fixture.
MARKERS_BY_FIXTURE = {
    "sandbox": {"sandbox_works"},
    "site": {"published_site", "draft_left_out", "draft_previewed", "specimen_site"},
    "browser": {"browser"},
    # Debian's python3 with grpcio and protoc, generating the CRI stubs (tests/lab).
    "programs": {"system_grpc"},
}
MARKERS_BY_IMPORTED_MODULE = {
    "sandbox": ("labrun.sandbox", "labrun.run", "testkit.cninode"),
    "site": ("mkdocs", "testkit.site_build", "testkit.hugo_site", "testkit.rewrite_steps"),
    "browser": ("testkit.browsing",),
    "programs": (),
}


def imported_modules(module: object) -> set[str]:
    """The modules a test module took names from (`import x`, `from x import y`)."""
    names = set()
    for value in vars(module).values():
        name = getattr(value, "__name__", None) if isinstance(value, types.ModuleType) else None
        names.add(name or getattr(value, "__module__", None) or "")
    return names


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        used = set(getattr(item, "fixturenames", ()))
        modules = imported_modules(item.module) if isinstance(item, pytest.Function) else set()
        for marker, fixtures in MARKERS_BY_FIXTURE.items():
            helpers = MARKERS_BY_IMPORTED_MODULE[marker]
            if used & fixtures or any(
                module == helper or module.startswith(helper + ".")
                for module in modules
                for helper in helpers
            ):
                item.add_marker(marker)
