"""Publish the browser lab with the site, when the build is given an image: the emulator, its
BIOS and the image's snapshot and root file system, under ``lab/browser/`` of the site.

Opt-in: ``BROWSER_LAB_IMAGE`` (mkdocs.yml's ``extra.browser_lab_image``) names a built image
folder (tools/browserlab/image.py, ``sudo make browser-lab-image``). Without it the site builds
as always and publishes no lab: the "Try it in your browser" button then says, on a click,
that this copy of the site was published without the lab's image (docs/assets/lab/).

What ``lab/browser/`` holds, all of it read by docs/assets/lab/lab-emulator.mjs:

- ``libv86.mjs``, ``v86.wasm``: v86 from node_modules (npm ci), the very version the snapshot
  was saved with (a state restores only in that build: a different one is a build error);
- ``bios.bin``, ``vgabios-stdvga.bin``: Debian's SeaBIOS (v86's npm package ships none);
- ``fs.json``, ``blobs/``, ``state.bin.zst``: the image's 9p file list, its zstd files and
  its snapshot (not the kernel and initramfs: only a cold boot reads them);
- ``lab.json``: what the page needs to know of the snapshot (the guest's memory size).

Files are hard-linked where the image and the site share a file system, copied otherwise;
never written into the repository.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError

FOLDER = Path("lab") / "browser"
IMAGE_FILES = ("fs.json", "state.bin.zst")
IMAGE_FOLDERS = ("blobs",)
V86_FILES = ("libv86.mjs", "v86.wasm")
SEABIOS = Path("/usr/share/seabios")
BIOS_FILES = ("bios.bin", "vgabios-stdvga.bin")


class LabFilesError(Exception):
    """The image, v86 or SeaBIOS is missing, or they do not belong together."""


def _place(source: str | Path, target: str | Path) -> None:
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def _need(path: Path, how: str) -> Path:
    if not path.exists():
        raise LabFilesError(f"{path} is missing ({how})")
    return path


def publish(image: Path, v86_package: Path, seabios: Path, target: Path) -> int:
    """Put the lab's files in ``target``; return the bytes published."""
    build = json.loads(_need(image / "build.json", "sudo make browser-lab-image").read_text())
    package = json.loads(_need(v86_package / "package.json", "npm ci").read_text())
    # npm's version may carry build metadata (`0.5.462+g5f9a90f`), the lock's never does.
    if package["version"].split("+")[0] != build["v86"]:
        raise LabFilesError(
            f"the image's snapshot was saved with v86 {build['v86']}, node_modules has "
            f"{package['version']}: npm ci, or build the image again"
        )
    target.mkdir(parents=True, exist_ok=True)
    for name in IMAGE_FILES:
        _place(_need(image / name, "sudo make browser-lab-image"), target / name)
    for name in IMAGE_FOLDERS:
        shutil.copytree(
            _need(image / name, "sudo make browser-lab-image"),
            target / name,
            copy_function=_place,
            dirs_exist_ok=True,
        )
    for name in V86_FILES:
        _place(_need(v86_package / "build" / name, "npm ci"), target / name)
    for name in BIOS_FILES:
        _place(_need(seabios / name, "apt-get install seabios"), target / name)
    (target / "lab.json").write_text(json.dumps({"memory_mib": build["memory_mib"]}) + "\n")
    return sum(path.stat().st_size for path in target.rglob("*") if path.is_file())


def on_post_build(*, config: MkDocsConfig) -> None:
    image = config.extra.get("browser_lab_image")
    if not image:
        return
    project = Path(config.config_file_path).parent
    try:
        publish(
            Path(image),
            project / "node_modules" / "v86",
            SEABIOS,
            Path(config.site_dir) / FOLDER,
        )
    except (LabFilesError, OSError, KeyError, ValueError) as error:
        raise PluginError(f"browser_lab_files: {error}") from error
