"""The site build only reads files: it never imports the lab runner nor starts a process.

The lab's commands need root and a sandbox; the blog must build anywhere without either. This
runs the real build in a fresh interpreter that records every process start and every module.
The one process allowed is `git version`, GitPython's probe (loaded by mkdocs-rss-plugin).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from testkit.paths import REPO

pytestmark = pytest.mark.site  # builds the site, in an interpreter of its own

PROBE = """
import json, subprocess, sys
from mkdocs.__main__ import cli

started = []
real_init = subprocess.Popen.__init__
def record(self, args, *rest, **kwargs):
    started.append(args if isinstance(args, str) else [str(arg) for arg in args])
    return real_init(self, args, *rest, **kwargs)
subprocess.Popen.__init__ = record

cli(["build", "--strict", "--site-dir", sys.argv[1]], standalone_mode=False)
labrun = sorted(name for name in sys.modules if name == "labrun" or name.startswith("labrun."))
print(json.dumps({"processes": started, "labrun": labrun}))
"""


def test_building_the_site_runs_no_process_and_imports_no_lab_code(tmp_path):
    result = subprocess.run(
        [sys.executable, "-c", PROBE, str(tmp_path / "site")],
        cwd=REPO,
        env=os.environ | {"NO_MKDOCS_2_WARNING": "1", "BLOG_DRAFTS": "true"},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    assert seen["labrun"] == []
    # mkdocs-rss-plugin loads GitPython, which asks `git version` even with use_git: false.
    assert [argv for argv in seen["processes"] if argv != ["git", "version"]] == []
    assert (tmp_path / "site" / "index.html").is_file()
