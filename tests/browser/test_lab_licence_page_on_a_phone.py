"""The browser lab's licence page, built from the real image, read on a phone in Chromium: its
table holds exactly the image's packages.tsv, and fits a 390 px screen without scrolling
sideways. Marked `browserlab` (the image exists where `make test-browser-lab` runs): skipped
with the reason where the image or v86 is missing, failed instead when CI=true.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from testkit.browsing import MOBILE, Tab
from testkit.lab_site import image_folder
from testkit.static_server import Server

pytestmark = pytest.mark.browserlab

PAGE = "lab/licences/"


def test_the_licence_page_lists_the_images_packages_and_fits_a_phone(
    open_page: Callable[..., Tab], lab_site: Server, artifacts: Path
) -> None:
    tab = open_page(lab_site.url + PAGE, viewport=MOBILE, is_mobile=True, has_touch=True)
    page = tab.page
    rows = page.locator(".md-content table tbody tr")
    shown = [
        tuple(cell.strip() for cell in row.split("\t"))
        for row in rows.evaluate_all(
            "rows => rows.map(row => [...row.cells].map(cell => cell.innerText).join('\\t'))"
        )
    ]
    expected = [
        (f"{name} {version}", f"{source} {source_version}")
        for name, version, source, source_version in (
            line.split("\t")
            for line in (image_folder() / "packages.tsv").read_text(encoding="utf-8").splitlines()
        )
    ]
    assert shown == expected
    # Readable on the phone: the table's right edge on the screen, no sideways scroll needed
    # (Material wraps a wide table in a scrolling box, so the page alone would not show it).
    right = page.locator(".md-content table").evaluate(
        "table => Math.max(...[...table.querySelectorAll('th, td')]"
        ".map(cell => cell.getBoundingClientRect().right))"
    )
    assert right <= MOBILE["width"]
    assert page.evaluate("document.documentElement.scrollWidth") <= MOBILE["width"]
    page.screenshot(path=str(artifacts / "lab-licences-phone.png"))
    page.screenshot(path=str(artifacts / "lab-licences-phone-full.png"), full_page=True)
    assert tab.traffic.blocked == []
    assert tab.traffic.errors == []
