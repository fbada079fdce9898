"""Fixture: the production site with the browser lab published, built once per session.

The browser-lab tests that read the published lab (tests/browserlab/, the licence page's phone
test) share one build: `mkdocs build` with BROWSER_LAB_IMAGE, as the Pages workflow runs it,
served on 127.0.0.1. Where the image, v86, SeaBIOS, Chromium or Playwright is missing, the
tests skip with the reason (fail when CI=true).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from testkit.paths import REPO
from testkit.policy import skip_or_fail
from testkit.site_build import build, copy_sources
from testkit.static_server import Server, serve


def image_folder() -> Path:
    """The image the tests publish: BROWSER_LAB_IMAGE, else the one the current inputs name."""
    import image  # noqa: PLC0415 - tools/browserlab, read only by the tests that publish it

    return Path(os.environ.get("BROWSER_LAB_IMAGE") or image.image_path())


@pytest.fixture(scope="session")
def lab_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """The production build with the lab published (BROWSER_LAB_IMAGE), served on 127.0.0.1."""
    import emulator  # noqa: PLC0415 - as image above
    import image  # noqa: PLC0415

    missing = emulator.missing_prerequisites()
    folder = image_folder()
    if not image.is_built(folder):
        missing.append(f"the image is not built: {folder} (sudo make browser-lab-image)")
    if missing:
        skip_or_fail("; ".join(missing))
    project = copy_sources(tmp_path_factory.mktemp("lab-site"))
    (project / "node_modules").symlink_to(REPO / "node_modules")
    result = build(project, project / "site", env={"BROWSER_LAB_IMAGE": str(folder)})
    assert result.returncode == 0, result.output
    with serve(project / "site") as server:
        yield server
