"""Every shell script of the project passes shellcheck: the ones the tool inventory finds
(`*.sh`, and files with a sh/bash shebang: .ci/run, lab/provision.sh, the sandbox's PID 1, the
VM guest, the clean room, ...), so a new script is linted without being listed anywhere."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from testkit.policy import require_tool
from tool_inventory import REPO, is_shell_script, source_files

SCRIPTS = [path for path in source_files() if is_shell_script(path)]


def test_the_inventory_finds_the_scripts_it_must() -> None:
    found = {str(path.relative_to(REPO)) for path in SCRIPTS}
    assert {".ci/run", "lab/provision.sh", "lab/labrun/sandbox-init.sh"} <= found, found


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda path: str(path.relative_to(REPO)))
def test_every_shell_script_passes_shellcheck(script: Path) -> None:
    shellcheck = require_tool("shellcheck", "shellcheck")
    result = subprocess.run(
        [shellcheck, str(script)], capture_output=True, text=True, check=False, timeout=60
    )
    assert result.returncode == 0, result.stdout
