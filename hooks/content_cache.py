"""Keep work that depends only on file contents between builds, under .cache/build/.

Each ``mkdocs build`` (and each rebuild of ``mkdocs serve``) starts a fresh process or a fresh
theme environment, so without a cache it compiles the theme's Jinja templates again and
re-encodes every image as WebP: the slow part of a build (tools/bench/bench_site.py prints a
build with and without the cache). Both depend only on file contents:

- Jinja's own bytecode cache (``FileSystemBytecodeCache``) stores a compiled template under a
  hash of its name and file name, with a checksum of its source: a changed template is
  compiled again.
- ``ContentCache`` stores bytes under a SHA-256 of everything they are made from (the caller
  hashes the file's bytes and the settings that shape the result, see hooks/webp_images.py).

A cache entry can never change the output: the key names all of its inputs, entries are
written whole (a temporary file renamed into place), and an unreadable entry is a miss.
tests/site/test_build_cache.py builds cold and warm and compares the two sites byte for byte.
``MKDOCS_BUILD_CACHE=off`` turns the cache off (benchmarks of a cold build); another value is a
directory to use instead of .cache/build/ beside mkdocs.yml.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

from jinja2 import Environment, FileSystemBytecodeCache
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files

ENV_VAR = "MKDOCS_BUILD_CACHE"


def cache_root(config: MkDocsConfig) -> Path | None:
    """Where the build keeps its cache (None: turned off)."""
    setting = os.environ.get(ENV_VAR, "")
    if setting == "off":
        return None
    if setting:
        return Path(setting)
    return Path(config.config_file_path).resolve().parent / ".cache" / "build"


def content_key(*parts: bytes | str) -> str:
    """A SHA-256 of the parts, each length-prefixed so no two lists of parts share a key."""
    digest = hashlib.sha256()
    for part in parts:
        data = part.encode() if isinstance(part, str) else part
        digest.update(len(data).to_bytes(8, "big"))
        digest.update(data)
    return digest.hexdigest()


class ContentCache:
    """Bytes stored under content keys, in one folder per kind of work."""

    def __init__(self, root: Path | None, kind: str) -> None:
        self.folder = None if root is None else root / kind

    def get(self, key: str) -> bytes | None:
        if self.folder is None:
            return None
        try:
            return (self.folder / key).read_bytes()
        except OSError:
            return None

    def put(self, key: str, data: bytes) -> None:
        """Store data whole or not at all; a cache that cannot be written is only slower."""
        if self.folder is None:
            return
        temporary = None
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            with tempfile.NamedTemporaryFile(dir=self.folder, delete=False) as out:
                temporary = out.name
                out.write(data)
            os.replace(temporary, self.folder / key)
        except OSError:
            if temporary is not None:
                Path(temporary).unlink(missing_ok=True)


def on_env(env: Environment, *, config: MkDocsConfig, files: Files) -> Environment:
    root = cache_root(config)
    if root is not None:
        folder = root / "jinja"
        folder.mkdir(parents=True, exist_ok=True)
        env.bytecode_cache = FileSystemBytecodeCache(str(folder))
    return env
