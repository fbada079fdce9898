"""How podnet runs `ip` and `iptables`: a timeout, the C locale, errors that name the tool.

A runtime execs the plugin with an environment of its own choosing, maybe without PATH: the
tools get that PATH (or the usual system directories when there is none), read when each
command runs, and the C locale, because callers match the tools' English messages.
"""

from __future__ import annotations

import os
import subprocess

from cni.protocol import CniError, Code

# Seconds one `ip -batch` or `iptables-restore` may take: far more than either needs, even on a
# loaded node, so only a tool that hangs is cut off.
TIMEOUT = 60.0
DEFAULT_PATH = "/usr/sbin:/usr/bin:/sbin:/bin"


class CommandFailed(CniError):
    """A tool exited non-zero: the message names it, the details are what it printed. The
    modules that drive one tool narrow it (`links.LinkError`, `nat.FirewallError`)."""

    def __init__(self, argv: list[str], stderr: str, code: Code = Code.KERNEL_REFUSED) -> None:
        super().__init__(code, f"{argv[0]} failed", stderr.strip())
        self.argv = argv
        self.stderr = stderr


def environment() -> dict[str, str]:
    return {"PATH": os.environ.get("PATH") or DEFAULT_PATH, "LC_ALL": "C"}


def run(
    argv: list[str],
    stdin_lines: list[str] | None = None,
    *,
    failure: type[CommandFailed] = CommandFailed,
) -> str:
    """Run `argv` (with `stdin_lines` on its stdin); its stdout, or `failure` if it fails."""
    stdin = "".join(f"{line}\n" for line in stdin_lines) if stdin_lines else None
    try:
        done = subprocess.run(
            argv,
            input=stdin,
            capture_output=True,
            text=True,
            env=environment(),
            check=False,
            timeout=TIMEOUT,
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        raise CniError(Code.KERNEL_REFUSED, f"cannot run {argv[0]}", str(error)) from None
    if done.returncode != 0:
        raise failure(argv, done.stderr)
    return done.stdout
