"""The browser lab's snapshot: the guest booted once, at its prompt, saved by v86.

A reader restores it in about two seconds instead of a minute's boot. Taken after the guest's
init has loaded the lab's modules; the page cache is dropped and, because the kernel runs with
init_on_free=1, every freed page is zero, so the state compresses to a fraction of the guest's
memory. A state is tied to the exact v86 build and to the file list it was made with: it is
rebuilt with them (image.py's fingerprint covers both).
"""

from __future__ import annotations

import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import emulator

# console=ttyS0: the serial port is the guest's terminal. init_on_free=1: freed memory is
# zeroed (a small snapshot). tsc=reliable, no watchdog: the emulated clock is irregular, and the
# kernel would otherwise spend time judging it. mitigations=off: an emulated CPU has no
# side channel worth the cost. rootwait is not needed: the initramfs mounts the root.
CMDLINE = (
    "console=ttyS0 init_on_free=1 tsc=reliable nowatchdog mitigations=off random.trust_cpu=on "
    "quiet loglevel=3"
)
BOOT_TIMEOUT = 300.0
READY = "browserlab-init: ready"
ZSTD_LEVEL = "-19"


@dataclass(frozen=True)
class Taken:
    boot_seconds: float
    state_bytes: int
    compressed_bytes: int


def take(image: Path, target: Path) -> Taken:
    """Boot the image's kernel, wait for the shell, save the state as `target` (zstd)."""
    started = time.monotonic()
    with emulator.serve(image) as (url, _), emulator.browser() as page:
        guest = emulator.Guest(page, url)
        guest.start(cmdline=CMDLINE)
        guest.wait_for(READY, 0, BOOT_TIMEOUT)
        position = guest.position()
        # The arithmetic proves the shell ran it, not that the echo of the line came back.
        guest.send("sync; echo 3 >/proc/sys/vm/drop_caches; echo @@booted-$((40 + 2))\n")
        guest.wait_for("@@booted-42", position, BOOT_TIMEOUT)
        boot_seconds = time.monotonic() - started
        raw = target.with_name("state.bin")
        state_bytes = guest.save_state(raw)
    subprocess.run(
        ["zstd", "-q", ZSTD_LEVEL, "-f", "--rm", str(raw), "-o", str(target)],
        check=True,
        timeout=600,
    )
    return Taken(boot_seconds, state_bytes, target.stat().st_size)
