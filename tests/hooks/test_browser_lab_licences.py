"""hooks/browser_lab_licences.py: the licence page lists exactly the image's packages.tsv, each
with a well-formed link to its source in Debian's snapshot archive, says so when the site ships
no lab, and stops the build on a malformed packages.tsv, naming the file and the line."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote

import pytest

import browser_lab_licences as licences
from testkit.paths import REPO

SAMPLE = (
    "bash\t5.2.15-2+b13\tbash\t5.2.15-2\n"
    "zlib1g\t1:1.2.13.dfsg-1\tzlib\t1:1.2.13.dfsg-1\n"
    "linux-image-6.1.0-57-686\t6.1.192-3\tlinux\t6.1.192-3\n"
)
DPKG_STATUS = """\
Package: seabios
Status: install ok installed
Version: 1.16.2-1

Package: other
Status: deinstall ok config-files
Version: 1.0
"""
ROW = re.compile(
    r"^\| (?P<name>\S+) (?P<version>\S+) \| \[(?P<source>\S+) (?P<sv>\S+)\]\((?P<url>\S+)\) \|$"
)
SNAPSHOT_LINK = re.compile(
    r"^https://snapshot\.debian\.org/package/([a-z0-9][a-z0-9+.-]+)/([A-Za-z0-9.~%-]+)/$"
)


def image(tmp_path: Path, tsv: str) -> Path:
    (tmp_path / "packages.tsv").write_text(tsv, encoding="utf-8")
    return tmp_path


def page(tmp_path: Path, folder: Path) -> str:
    status = tmp_path / "status"
    status.write_text(DPKG_STATUS, encoding="utf-8")
    return licences.licences(str(folder), REPO, status)


def rows(markdown: str) -> list[re.Match[str]]:
    return [match for line in markdown.splitlines() if (match := ROW.match(line))]


def test_the_page_lists_exactly_the_rows_of_packages_tsv(tmp_path: Path) -> None:
    listed = rows(page(tmp_path, image(tmp_path, SAMPLE)))
    # SeaBIOS is listed with its source too, in its own section, not in the table.
    table = [(m["name"], m["version"], m["source"], m["sv"]) for m in listed]
    assert table == [tuple(line.split("\t")) for line in SAMPLE.splitlines()]


def test_each_source_link_is_the_snapshot_archives_page_of_that_source_version(
    tmp_path: Path,
) -> None:
    markdown = page(tmp_path, image(tmp_path, SAMPLE))
    links = [(m["source"], m["sv"], m["url"]) for m in rows(markdown)]
    links.append(("seabios", "1.16.2-1", licences.snapshot_url("seabios", "1.16.2-1")))
    assert "[seabios 1.16.2-1](https://snapshot.debian.org/package/seabios/1.16.2-1/)" in markdown
    for source, version, url in links:
        link = SNAPSHOT_LINK.match(url)
        assert link, url
        assert (unquote(link[1]), unquote(link[2])) == (source, version)
    assert "https://snapshot.debian.org/package/zlib/1%3A1.2.13.dfsg-1/" in markdown


def test_the_emulator_is_named_with_its_locked_version_and_licence(tmp_path: Path) -> None:
    markdown = page(tmp_path, image(tmp_path, SAMPLE))
    version = licences.locked_version(REPO / "package-lock.json", "v86")
    assert f"[v86](https://github.com/copy/v86) {version}, from npm" in markdown
    assert "BSD 2-Clause" in markdown


def test_without_an_image_the_page_says_the_site_ships_no_lab(tmp_path: Path) -> None:
    markdown = licences.licences("", REPO, tmp_path / "no-dpkg-status")
    assert "published **without the browser lab**" in markdown
    assert rows(markdown) == []


@pytest.mark.parametrize(
    ("tsv", "line", "says"),
    [
        pytest.param(
            SAMPLE + "bash 5.2 bash 5.2\n", 4, "expected 4 tab-separated fields", id="spaces"
        ),
        pytest.param("bash\t5.2.15-2\tbash\n", 1, "found 3", id="three-fields"),
        pytest.param(
            SAMPLE.replace("1:1.2.13", "one:1.2.13", 1), 2, "not a Debian version", id="version"
        ),
        pytest.param(
            SAMPLE.replace("\tlinux\t", "\tLinux/x\t"),
            3,
            "not a Debian source package",
            id="source",
        ),
        pytest.param(SAMPLE + "\n", 4, "found 1", id="blank-line"),
    ],
)
def test_a_malformed_packages_tsv_is_an_error_naming_the_file_and_line(
    tmp_path: Path, tsv: str, line: int, says: str
) -> None:
    folder = image(tmp_path, tsv)
    with pytest.raises(licences.LicencesError) as error:
        page(tmp_path, folder)
    assert str(error.value).startswith(f"{folder / 'packages.tsv'}:{line}: ")
    assert says in str(error.value)


def test_an_image_without_seabios_installed_is_an_error_saying_so(tmp_path: Path) -> None:
    status = tmp_path / "status"
    status.write_text(DPKG_STATUS.replace("Package: seabios", "Package: qemu"), encoding="utf-8")
    with pytest.raises(licences.LicencesError, match="seabios is not installed"):
        licences.licences(str(image(tmp_path, SAMPLE)), REPO, status)
