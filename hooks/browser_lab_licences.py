"""Fill the browser lab's licence page (docs/lab/licences.md) with what the published lab
redistributes and where each part's source is: the GPL asks for it.

When the build publishes the lab (``extra.browser_lab_image``, hooks/browser_lab_files.py), the
page lists, from data only (no network, no process):

- v86, the emulator (npm, BSD-2-Clause), at the version package-lock.json pins;
- SeaBIOS (``bios.bin``, ``vgabios-stdvga.bin``), from this machine's Debian ``seabios``
  package, the one browser_lab_files publishes, its version read from dpkg's status file;
- every Debian package of the image, from the image's ``packages.tsv`` (one line a package:
  name, version, source package, source version, tab-separated), each with its source in
  Debian's snapshot archive, which keeps every version ever uploaded.

Without an image the page says that this copy of the site ships no browser lab: it stays, so
the links to it from the About page and the lab's panel never break. A ``packages.tsv`` line
that is not four well-formed fields is a build error naming the file and the line.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.pages import Page

PAGE = "lab/licences.md"
MARKER = "<!-- browser-lab-licences -->"
PACKAGES = "packages.tsv"
DPKG_STATUS = Path("/var/lib/dpkg/status")
SNAPSHOT = "https://snapshot.debian.org/package/{source}/{version}/"
# Debian policy 5.6.1 and 5.6.12: what a package name and a version may hold.
_NAME = re.compile(r"[a-z0-9][a-z0-9+.-]+")
_VERSION = re.compile(r"(?:[0-9]+:)?[0-9][A-Za-z0-9.+~-]*")


class LicencesError(Exception):
    """packages.tsv, package-lock.json or dpkg's status cannot say what the lab ships."""


@dataclass(frozen=True)
class Package:
    name: str
    version: str
    source: str
    source_version: str

    @property
    def source_url(self) -> str:
        return snapshot_url(self.source, self.source_version)


def snapshot_url(source: str, version: str) -> str:
    # An epoch's colon and a version's plus are quoted, as the archive's own links quote them.
    return SNAPSHOT.format(source=quote(source, safe=""), version=quote(version, safe=""))


def read_packages(path: Path) -> list[Package]:
    """The packages of an image's packages.tsv, in its order."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as error:
        raise LicencesError(f"{path}: cannot read it ({error})") from None
    packages = []
    for number, line in enumerate(lines, start=1):
        fields = line.split("\t")
        if len(fields) != 4:
            raise LicencesError(
                f"{path}:{number}: expected 4 tab-separated fields (package, version, source, "
                f"source version), found {len(fields)}: {line!r}"
            )
        name, version, source, source_version = fields
        for what, value, form in (
            ("package", name, _NAME),
            ("version", version, _VERSION),
            ("source package", source, _NAME),
            ("source version", source_version, _VERSION),
        ):
            if not form.fullmatch(value):
                raise LicencesError(f"{path}:{number}: not a Debian {what}: {value!r}")
        packages.append(Package(name, version, source, source_version))
    if not packages:
        raise LicencesError(f"{path}: lists no package")
    return packages


def locked_version(lock: Path, package: str) -> str:
    try:
        entry = json.loads(lock.read_text(encoding="utf-8"))["packages"][f"node_modules/{package}"]
        return str(entry["version"])
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise LicencesError(f"{lock}: no locked {package} ({error})") from None


def installed_version(status: Path, package: str) -> str:
    """An installed Debian package's version, from dpkg's status file."""
    try:
        stanzas = status.read_text(encoding="utf-8").split("\n\n")
    except OSError as error:
        raise LicencesError(f"{status}: cannot read it ({error})") from None
    for stanza in stanzas:
        fields = dict(
            line.split(": ", 1) for line in stanza.splitlines() if ": " in line and line[0] != " "
        )
        if fields.get("Package") == package and fields.get("Status", "").endswith(" installed"):
            return fields["Version"]
    raise LicencesError(f"{status}: {package} is not installed (apt-get install {package})")


def without_lab() -> str:
    return (
        "This copy of the site was published **without the browser lab**: it redistributes no "
        'emulator and no Debian package, and its "Try it in your browser" buttons point to '
        "the lab VM instead."
    )


def with_lab(packages: list[Package], v86: str, seabios: str) -> str:
    # Two columns, each "name version", so the table fits a phone's width: a name and its
    # version wrap within their cell instead of pushing a third column off the screen.
    rows = "\n".join(
        f"| {package.name} {package.version} | "
        f"[{package.source} {package.source_version}]({package.source_url}) |"
        for package in packages
    )
    return f"""\
## The emulator

[v86](https://github.com/copy/v86) {v86}, from npm
([`v86`](https://www.npmjs.com/package/v86/v/{v86})), under the BSD 2-Clause licence:
`libv86.mjs` and `v86.wasm`.

## The BIOS

SeaBIOS, from Debian's `seabios` package {seabios} (LGPL 3): `bios.bin` and
`vgabios-stdvga.bin`. Source: [seabios {seabios}]({snapshot_url("seabios", seabios)}).

## The Debian packages of the emulated PC

Debian 12, i386: {len(packages)} packages, each under the licences its
`/usr/share/doc/<package>/copyright` names. The source of each is in Debian's snapshot
archive, at the version the image was built from.

<div class="lab-licences" markdown>

| Package and version | Source and version |
|---|---|
{rows}

</div>
"""


def licences(image: str, project: Path, status: Path = DPKG_STATUS) -> str:
    """The page's generated part: the lab's software, or that there is none."""
    if not image:
        return without_lab()
    return with_lab(
        read_packages(Path(image) / PACKAGES),
        locked_version(project / "package-lock.json", "v86"),
        installed_version(status, "seabios"),
    )


def on_page_markdown(markdown: str, *, page: Page, config: MkDocsConfig, **_: object) -> str:
    if page.file.src_uri != PAGE:
        return markdown
    if MARKER not in markdown:
        raise PluginError(f"browser_lab_licences: {PAGE} has no {MARKER}")
    try:
        generated = licences(
            config.extra.get("browser_lab_image", ""), Path(config.config_file_path).parent
        )
    except LicencesError as error:
        raise PluginError(f"browser_lab_licences: {error}") from error
    return markdown.replace(MARKER, generated)
