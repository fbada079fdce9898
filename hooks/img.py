"""Publish the top-level img/ folder at /img/, as Hugo does with static/img/.

Posts written for Hugo link images as ``../img/02/x.png``. With the files added under the
``img/`` URI, MkDocs resolves those links like any other, and ``--strict`` fails on a link to
an image that does not exist.
"""

from __future__ import annotations

from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files

IMG_DIR_NAME = "img"


def image_uris(img_dir: Path) -> list[tuple[str, Path]]:
    """Return (site URI, file) for every file below ``img_dir``, sorted for stable builds."""
    if not img_dir.is_dir():
        return []
    return sorted(
        (f"{IMG_DIR_NAME}/{path.relative_to(img_dir).as_posix()}", path)
        for path in img_dir.rglob("*")
        if path.is_file() and not path.name.startswith(".")
    )


# Runs before every other plugin and hook, so the images are known when posts are checked.
@event_priority(200)
def on_files(files: Files, *, config: MkDocsConfig) -> Files:
    img_dir = Path(config.config_file_path).parent / IMG_DIR_NAME
    for uri, path in image_uris(img_dir):
        if files.get_file_from_path(uri) is not None:
            raise PluginError(f"docs/{uri} shadows {path}: keep images in the top-level img/ only")
        files.append(File.generated(config, uri, abs_src_path=str(path)))
    return files
