"""Write the repository's import roots into the running virtualenv as one .pth file.

Usage: .venv/bin/python tools/write_import_roots.py ROOT...   (the Makefile's IMPORT_ROOTS)

Python adds each line of a .pth file in site-packages to sys.path at start-up, so every
interpreter of the virtualenv (pytest, the tools, the benchmarks) finds the project's modules
the same way. The paths are absolute: the virtualenv belongs to this checkout.
"""

from __future__ import annotations

import sys
import sysconfig
from pathlib import Path

PTH_NAME = "pod-ip-blog-roots.pth"
REPO = Path(__file__).resolve().parents[1]


def main(roots: list[str]) -> int:
    if sys.prefix == sys.base_prefix:
        print("write_import_roots: run it with the virtualenv's python", file=sys.stderr)
        return 2
    folders = [(REPO / root).resolve() for root in roots]
    missing = [str(folder) for folder in folders if not folder.is_dir()]
    if missing:
        print(f"write_import_roots: not folders: {', '.join(missing)}", file=sys.stderr)
        return 2
    pth = Path(sysconfig.get_path("purelib")) / PTH_NAME
    pth.write_text("".join(f"{folder}\n" for folder in folders), encoding="utf-8")
    print(f"write_import_roots: {pth}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
