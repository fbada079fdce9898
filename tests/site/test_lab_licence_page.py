"""The browser lab's licence page in the built site: without an image it says this copy ships no
lab (the page stays, so its links never break), the About page links it, and a malformed
packages.tsv stops the build naming the file and the line."""

from __future__ import annotations

from pathlib import Path

from bs4 import BeautifulSoup

from testkit.site_build import build, copy_sources

PAGE = Path("lab") / "licences" / "index.html"


def test_without_the_image_the_page_says_this_copy_ships_no_lab_and_about_links_it(
    tmp_path: Path,
) -> None:
    project = copy_sources(tmp_path / "project")
    result = build(project, tmp_path / "site", env={"BROWSER_LAB_IMAGE": ""})
    assert result.returncode == 0, result.output
    page = BeautifulSoup((result.site / PAGE).read_text(encoding="utf-8"), "html.parser")
    content = page.select_one(".md-content")
    assert content is not None  # the theme's page, not a bare file
    assert "published without the browser lab" in content.get_text(" ", strip=True)
    assert content.find("table") is None
    assert not (result.site / "lab" / "browser").exists()
    about = BeautifulSoup(
        (result.site / "about" / "index.html").read_text(encoding="utf-8"), "html.parser"
    )
    assert about.select_one('.md-content a[href="../lab/licences/"]') is not None


def test_a_malformed_packages_tsv_stops_the_build_naming_the_file_and_line(
    tmp_path: Path,
) -> None:
    image = tmp_path / "browserlab-sample"
    image.mkdir()
    tsv = image / "packages.tsv"
    tsv.write_text("bash\t5.2.15-2\tbash\t5.2.15-2\nzlib1g 1.2.13 zlib 1.2.13\n", encoding="utf-8")
    project = copy_sources(tmp_path / "project")
    result = build(project, tmp_path / "site", env={"BROWSER_LAB_IMAGE": str(image)})
    assert result.returncode != 0
    assert f"browser_lab_licences: {tsv}:2: expected 4 tab-separated fields" in result.output
