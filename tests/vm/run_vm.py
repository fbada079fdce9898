#!/usr/bin/env python3
"""Boot a disposable QEMU VM over this checkout and replay the lab transcripts inside it.

The sandbox run proves the transcripts on the host's kernel and tools; this run proves them in
the reader's userland: a Debian 12 root file system built from Debian's archive and provisioned
by lab/provision.sh (tests/vm/rootfs.py, cached), booted with its own kernel (Debian's
linux-image-amd64) by virtme-ng, read-only from its ext4 disk image (writes go to throwaway
tmpfs). Nothing installed on the host can make this run pass. The checkout is shared read-only
at /vagrant, where the reader's Vagrant VM has it. The VM has no network card (virtme-ng's default
`-net none`), only `lo`.

Inside the VM, tests/vm/guest.sh runs `lab/replay TRANSCRIPT` once per transcript, one per
vCPU at a time (the VM gets one vCPU per host CPU; TCG runs them on as many host threads), and
prints marker lines, each transcript's output whole and in order; this driver streams the
guest's output, reads the markers and reports on the host.

KVM is used only when a short probe boot proves it works (QEMU+KVM crashes or hangs on some
hosts); otherwise QEMU's TCG emulator runs the VM. Every wait has a deadline, and on timeout or
interrupt the driver kills the QEMU processes it started, by PID.

Exit status: 0 every transcript matched, 1 a transcript did not match, 2 bad input (no such
transcript, no lab/replay), 3 the VM failed (did not boot, crashed, timed out),
4 a prerequisite is missing (qemu, busybox, virtme-ng, the root file system).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import queue
import re
import secrets
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path

import rootfs

REPO = Path(__file__).resolve().parents[2]
# Where the guest sees the checkout: the reader's Vagrant VM shares it there too.
GUEST_REPO = "/vagrant"
GUEST_SCRIPT = "tests/vm/guest.sh"
# Where the guest reads the run's plan (the transcripts, one per line), shared read-only from a
# temporary folder: the guest's command travels on the kernel command line, which holds 2048
# bytes on x86, and a list of every transcript had outgrown it (the guest then never started).
GUEST_PLAN_DIR = "/run/lab-vm"
PLAN_FILE = "transcripts"
# The checkout's files the guest copies into its memory (NUL-separated; see guest.sh and
# checkout_files()).
CHECKOUT_LIST = "checkout-files"
DEFAULT_REPLAY = REPO / "lab" / "replay"
ROOTFS_BUILDER = REPO / "tests" / "vm" / "rootfs.py"

EXIT_OK, EXIT_MISMATCH, EXIT_BAD_INPUT, EXIT_VM_ERROR, EXIT_MISSING = 0, 1, 2, 3, 4

# lab/replay's default per-command limit is sized for the host. Under TCG every instruction is
# emulated, several transcripts replay at once, and the heaviest commands (a server starting,
# writing-a-cni-plugin's parallel podnet ADDs) get a fraction of the CPU: they need many times
# longer, and a limit too short would fail a transcript that is right.
COMMAND_TIMEOUT = {"tcg": 120.0, "kvm": 30.0}
# The checkout's Python, compiled on the host before the boot (see precompile()).
PRECOMPILED = ("lab", "snippets_grammar")

INSTALL_HINT = "sudo lab/provision.sh tests/vm/packages.txt"
ROOTFS_HINT = "sudo make vm-rootfs"
DEBIAN_RELEASE = "12."  # the reader's box: /etc/debian_version of Debian 12 point releases


class Terminated(Exception):
    """SIGTERM arrived (make or CI stopping us): unwind so the VM's processes get killed."""


class Problem(Exception):
    """Something that stops the VM run, with what to do about it."""

    def __init__(self, why: str, fix: str, code: int) -> None:
        super().__init__(why)
        self.why = why
        self.fix = fix
        self.code = code


@dataclass
class Prerequisites:
    """What the host must have to boot the test VM."""

    vng: Path
    qemu: Path
    root: Path
    kernel: Path
    kernel_release: str
    # The root file system as an ext4 disk image (rootfs.image_path), booted from when there is
    # one; without it (a --root folder made elsewhere) the guest reads the folder over 9p.
    disk: Path | None = None

    def root_label(self) -> str:
        return f"{self.root.name} ({'ext4 disk image' if self.disk else 'folder over 9p'})"


@dataclass
class TranscriptResult:
    transcript: str
    exit_status: int
    seconds: float
    # What lab/replay printed for this transcript in the guest (its diffs, when it failed).
    output: str = ""

    @property
    def passed(self) -> bool:
        return self.exit_status == 0


@dataclass
class Report:
    """One VM run, as printed on the host and written by --report."""

    accel: str
    kernel: str
    root: str = ""
    kvm_note: str = ""
    boot_seconds: float | None = None
    total_seconds: float = 0.0
    guest_kernel: str = ""
    guest_release: str = ""
    tools: dict[str, str] = field(default_factory=dict)
    results: list[TranscriptResult] = field(default_factory=list)
    transcripts: list[str] = field(default_factory=list)
    error: str = ""
    fix: str = ""
    exit_status: int = EXIT_OK


# --- prerequisites ----------------------------------------------------------------------------


def find_vng() -> Path:
    """virtme-ng's `vng`, from this interpreter's venv first (requirements.txt pins it)."""
    candidates = [Path(sys.executable).parent / "vng", REPO / ".venv" / "bin" / "vng"]
    which = shutil.which("vng")
    if which:
        candidates.append(Path(which))
    for candidate in candidates:
        # vng runs `virtme-run` through PATH; it must sit next to vng.
        if candidate.is_file() and (candidate.parent / "virtme-run").is_file():
            return candidate
    raise Problem(
        "virtme-ng (vng) is not installed",
        "make the venv: python3 -m venv .venv && .venv/bin/pip install -r requirements.txt",
        EXIT_MISSING,
    )


def kernel_release(image: Path) -> str:
    return image.name.removeprefix("vmlinuz-")


def version_key(release: str) -> list[int]:
    return [int(part) for part in re.findall(r"\d+", release)]


def find_root(explicit: str | None) -> Path:
    """The Debian 12 root file system to boot: --root, $LAB_VM_ROOTFS, or the cached build."""
    if explicit:
        root = Path(explicit).resolve()
    else:
        done = subprocess.run(  # noqa: S603 - fixed argv
            [sys.executable, str(ROOTFS_BUILDER), "lab", "--path"],
            capture_output=True,
            text=True,
            check=False,
            timeout=60,
        )
        if done.returncode != 0:
            raise Problem(
                "the VM's Debian 12 root file system is not built (or its package lists "
                f"changed): {done.stderr.strip()}",
                ROOTFS_HINT,
                EXIT_MISSING,
            )
        root = Path(done.stdout.strip())
    if not (root / "bin" / "sh").exists():
        raise Problem(f"{root} is not a root file system", ROOTFS_HINT, EXIT_MISSING)
    return root


def find_disk(root: Path) -> Path | None:
    """The root file system's disk image, made beside it by rootfs.py (see image_path)."""
    disk = rootfs.image_path(root)
    return disk if disk.is_file() else None


def find_kernel(root: Path, explicit: str | None) -> Path:
    """The kernel to boot: --kernel, $LAB_VM_KERNEL, or the root file system's newest
    /boot/vmlinuz-<release> with /lib/modules/<release>, which virtme-ng loads modules from."""
    if explicit:
        image = Path(explicit)
        if not image.is_file():
            raise Problem(f"kernel image {image} does not exist", ROOTFS_HINT, EXIT_MISSING)
    else:
        images = [
            image
            for image in (root / "boot").glob("vmlinuz-*")
            if (root / "lib" / "modules" / kernel_release(image)).is_dir()
        ]
        if not images:
            raise Problem(
                f"no kernel with modules in {root}/boot; the VM needs one to boot",
                f"rebuild the root file system: {ROOTFS_HINT}",
                EXIT_MISSING,
            )
        image = max(images, key=lambda path: version_key(kernel_release(path)))
    if not os.access(image, os.R_OK):
        raise Problem(
            f"kernel image {image} is not readable by this user",
            "run as root (sudo make test-vm), or make a readable copy and pass --kernel COPY",
            EXIT_MISSING,
        )
    return image


def find_prerequisites(kernel: str | None, root: str | None = None) -> Prerequisites:
    qemu = shutil.which("qemu-system-x86_64")
    if qemu is None:
        raise Problem(
            "qemu-system-x86_64 is not installed",
            f"install Debian's qemu-system-x86: {INSTALL_HINT}",
            EXIT_MISSING,
        )
    if not any(shutil.which(name) for name in ("busybox", "busybox-static", "busybox.static")):
        raise Problem(
            "no busybox: virtme-ng builds an initramfs with a static busybox to load the "
            "kernel's modules",
            f"install busybox-static: {INSTALL_HINT}",
            EXIT_MISSING,
        )
    if shutil.which("file") is None:
        raise Problem(
            "no file(1): virtme-ng runs it to check that busybox is static and to read the "
            "kernel's version",
            f"install Debian's file: {INSTALL_HINT}",
            EXIT_MISSING,
        )
    vng = find_vng()
    guest_root = find_root(root)
    image = find_kernel(guest_root, kernel)
    return Prerequisites(
        vng, Path(qemu), guest_root, image, kernel_release(image), find_disk(guest_root)
    )


# --- processes ------------------------------------------------------------------------------


def descendants(root_pid: int) -> list[int]:
    """PIDs of every process below root_pid, read from /proc (children before parents' exit)."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, ValueError, IndexError):
            # The command name may hold spaces or parentheses: split after the last ')'.
            fields = stat.read_text().rpartition(")")[2].split()
            children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    found: list[int] = []
    todo = [root_pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def running(pid: int) -> bool:
    """True while pid exists and is not a zombie waiting for its (killed) parent's reaper."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"


class VM:
    """One vng process (and the QEMU below it) whose output lines arrive with their time."""

    def __init__(self, argv: list[str], env: dict[str, str]) -> None:
        self.started = time.monotonic()
        # virtme-ng leaves a temporary file behind when killed: keep its files in a folder
        # of ours, removed in kill().
        self.scratch = tempfile.mkdtemp(prefix="lab-vm-")
        env = {**env, "TMPDIR": self.scratch}
        # A session of its own: the driver's terminal signals do not reach QEMU half-way,
        # and cleanup can name exactly the processes started here.
        self.process = subprocess.Popen(  # noqa: S603 - argv list, no shell
            argv,
            cwd=REPO,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.lines: queue.Queue[tuple[float, str | None]] = queue.Queue()
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for raw in self.process.stdout:
            self.lines.put((time.monotonic(), raw.decode(errors="replace").rstrip("\r\n")))
        self.lines.put((time.monotonic(), None))

    def output(self, deadline: Callable[[], float]) -> Iterator[tuple[float, str]]:
        """Yield (arrival time, line) until the VM closes its output; TimeoutError at deadline()."""
        while True:
            remaining = deadline() - time.monotonic()
            if remaining <= 0:
                raise TimeoutError
            try:
                when, line = self.lines.get(timeout=remaining)
            except queue.Empty:
                raise TimeoutError from None
            if line is None:
                return
            yield when, line

    def wait(self, timeout: float) -> int:
        return self.process.wait(timeout=timeout)

    def kill(self) -> None:
        """End vng and every process it started (QEMU included), by PID; never block for long."""
        if self.process.poll() is None:
            self._terminate([self.process.pid, *descendants(self.process.pid)])
        # Every writer is gone: the reader sees end of file, then the pipe can be closed.
        self.reader.join(timeout=5)
        if self.process.stdout is not None and not self.reader.is_alive():
            self.process.stdout.close()
        shutil.rmtree(self.scratch, ignore_errors=True)

    def _terminate(self, pids: list[int]) -> None:
        for sig in (signal.SIGTERM, signal.SIGKILL):
            for pid in pids:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, sig)
            grace = time.monotonic() + 5
            while time.monotonic() < grace:
                with contextlib.suppress(subprocess.TimeoutExpired):
                    self.process.wait(timeout=0.1)  # reaps vng, our child
                if not any(running(pid) for pid in pids):
                    return
        print(f"run_vm: warning: processes {pids} survived SIGKILL", file=sys.stderr)

    def __enter__(self) -> VM:
        return self

    def __exit__(self, *exc: object) -> None:
        self.kill()


def vng_env(vng: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["PATH"] = f"{vng.parent}{os.pathsep}{env.get('PATH', '/usr/bin:/bin')}"
    return env


def root_argv(pre: Prerequisites) -> list[str]:
    """Boot from the disk image if there is one (why: rootfs.image_path), else share the folder.
    Folders (this one, the checkout, the plan, virtme-ng's own tools) are shared over 9p: left
    to choose, virtme-ng first tries Debian 12's virtiofsd, which it cannot use, and waits
    seconds for it, once per folder."""
    if pre.disk is not None:
        return ["--root-disk", str(pre.disk), "--root-fstype", "ext4", "--force-9p"]
    return ["--root", str(pre.root), "--force-9p"]


def vng_argv(
    pre: Prerequisites,
    accel: str,
    command: list[str],
    memory: str,
    cpus: int,
    *,
    plan: Path | None = None,
) -> list[str]:
    """vng's argv; `plan`, a folder on the host, is shared read-only at GUEST_PLAN_DIR."""
    argv = [
        str(pre.vng),
        "--run",
        str(pre.kernel),
        "--qemu",
        str(pre.qemu),
        # The reader's userland, read-only; its own /lib/modules match the kernel.
        *root_argv(pre),
        "--user",
        "root",
        "--rodir",
        f"{GUEST_REPO}={REPO}",
        *(["--rodir", f"{GUEST_PLAN_DIR}={plan}"] if plan else []),
        "--memory",
        memory,
        "--cpus",
        str(cpus),
        # No --network: virtme-ng then gives QEMU `-net none`, so the guest has only `lo`.
        "--exec",
        f"cd {GUEST_REPO} && {shlex.join(command)}",
    ]
    if accel == "tcg":
        argv.insert(1, "--disable-kvm")
    return argv


# --- KVM ------------------------------------------------------------------------------------


def cpu_has_virtualization(cpuinfo: str) -> bool:
    """True when /proc/cpuinfo's flags name Intel VT-x (vmx) or AMD-V (svm)."""
    for line in cpuinfo.splitlines():
        name, _, value = line.partition(":")
        if name.strip() == "flags" and {"vmx", "svm"} & set(value.split()):
            return True
    return False


def probe_kvm(pre: Prerequisites, timeout: float) -> tuple[bool, str]:
    """Boot the VM once with KVM and a trivial command; KVM is usable only if that works."""
    device = Path("/dev/kvm")
    if not device.exists():
        return False, "no /dev/kvm (no hardware virtualization here)"
    if not os.access(device, os.R_OK | os.W_OK):
        return False, "/dev/kvm is not readable and writable by this user (add it to group kvm)"
    # Some hosts (nested guests, sandboxes) offer /dev/kvm on a CPU without VT-x/AMD-V: QEMU
    # then dies at its first KVM call ("failed to set MSR 0x10a") after a long probe.
    with contextlib.suppress(OSError):
        if not cpu_has_virtualization(Path("/proc/cpuinfo").read_text()):
            return False, "/proc/cpuinfo shows no vmx or svm flag (no VT-x/AMD-V for KVM)"
    token = secrets.token_hex(8)
    argv = vng_argv(pre, "kvm", ["echo", f"kvm-probe-{token}"], "256M", 1)
    tail: deque[str] = deque(maxlen=5)
    started = time.monotonic()
    with VM(argv, vng_env(pre.vng)) as vm:
        try:
            for _, line in vm.output(lambda: started + timeout):
                tail.append(line)
                if line == f"kvm-probe-{token}":
                    return True, f"KVM probe booted in {time.monotonic() - started:.1f} s"
        except TimeoutError:
            return False, f"KVM probe boot did not finish within {timeout:.0f} s (QEMU+KVM hangs)"
    errors = [line for line in tail if "error" in line.lower()]
    said = (errors or list(tail) or ["no output"])[0]
    return False, f"KVM probe boot failed: {said}"


def choose_accel(pre: Prerequisites, wanted: str, probe_timeout: float) -> tuple[str, str]:
    if wanted == "tcg":
        return "tcg", "TCG requested"
    usable, note = probe_kvm(pre, probe_timeout)
    if usable:
        return "kvm", note
    if wanted == "kvm":
        raise Problem(
            f"KVM was requested but is not usable: {note}",
            "use --accel auto or --accel tcg (slower, but needs no KVM)",
            EXIT_VM_ERROR,
        )
    return "tcg", f"{note}; falling back to TCG"


# --- the run --------------------------------------------------------------------------------


def display(path: Path) -> str:
    with contextlib.suppress(ValueError):
        return str(path.relative_to(REPO))
    return str(path)


def precompile() -> None:
    """Write the bytecode of the checkout's Python (lab/labrun, the podnet plugin) on the host.

    The guest sees the checkout read-only, so without it every `lab/replay` and every podnet
    process compiles its modules again, under TCG: seconds each, 40 podnet processes in one
    command. Python checks each .pyc against its source's size and modification time, and
    only one written by the guest's Python version (Debian 12: 3.11) is used there; a host
    with another Python writes files the guest ignores. __pycache__/ is git-ignored.
    """
    subprocess.run(  # noqa: S603 - fixed argv
        [sys.executable, "-m", "compileall", "-q", "-j0", *PRECOMPILED],
        cwd=REPO,
        capture_output=True,
        check=False,
        timeout=120,
    )


def find_transcripts(given: list[str]) -> list[Path]:
    if given:
        paths = [Path(name).resolve() for name in given]
        missing = [str(path) for path in paths if not path.is_file()]
        if missing:
            raise Problem(
                f"no such transcript: {', '.join(missing)}", "check the path", EXIT_BAD_INPUT
            )
        outside = [str(path) for path in paths if REPO not in path.parents]
        if outside:
            raise Problem(
                f"not in this checkout (the VM sees only the checkout): {', '.join(outside)}",
                "copy the transcript under lab/",
                EXIT_BAD_INPUT,
            )
        return paths
    paths = sorted((REPO / "lab").rglob("*.console"))
    if not paths:
        raise Problem(
            "no transcripts (lab/**/*.console) to replay", "add one under lab/", EXIT_BAD_INPUT
        )
    return paths


class Run:
    """Follows the guest's marker lines and fills the report."""

    def __init__(self, report: Report, nonce: str, started: float, echo: bool) -> None:
        self.report = report
        self.prefix = f"@@lab-vm {nonce} "
        self.started = started
        self.echo = echo
        self.finished = False
        self.current: tuple[str, float] | None = None
        # The guest's own measure of the current transcript's replay ("took" marker): replays
        # run side by side and are reported when done, so arrival times do not show it.
        self.took: float | None = None
        # Transcripts the guest started ("replaying" marker) and has not reported yet.
        self.replaying: list[str] = []
        self.transcript_lines: list[str] = []
        self.tail: deque[str] = deque(maxlen=40)

    def say(self, text: str) -> None:
        if self.echo:
            print(f"[vm] {text}", flush=True)

    def feed(self, when: float, line: str) -> None:
        if not line.startswith(self.prefix):
            self.tail.append(line)
            if self.current:
                self.transcript_lines.append(line)
            if self.echo:
                print(line, flush=True)
            return
        kind, _, rest = line.removeprefix(self.prefix).partition(" ")
        if kind == "booted":
            self.report.boot_seconds = round(when - self.started, 2)
            self.say(f"booted, first command after {self.report.boot_seconds:.1f} s")
        elif kind == "kernel":
            self.report.guest_kernel = rest
        elif kind == "release":
            self.report.guest_release = rest
        elif kind == "tool":
            name, _, version = rest.partition(" ")
            self.report.tools[name] = version
        elif kind == "finished":
            self.finished = True
        else:
            self.transcript_marker(kind, rest, when)

    def transcript_marker(self, kind: str, rest: str, when: float) -> None:
        """A marker about one transcript: replaying, start, took, result."""
        if kind == "replaying":
            self.replaying.append(rest)
            self.say(f"replaying {rest}")
        elif kind == "start":
            self.current = (rest, when)
            self.transcript_lines = []
            self.took = None
            self.say(f"output of {rest}:")
        elif kind == "took":
            seconds, _, _ = rest.partition(" ")
            with contextlib.suppress(ValueError):
                self.took = float(seconds)
        elif kind == "result":
            status, _, transcript = rest.partition(" ")
            since = self.current[1] if self.current else when
            seconds = self.took if self.took is not None else when - since
            result = TranscriptResult(
                transcript, int(status), round(seconds, 2), "\n".join(self.transcript_lines)
            )
            self.report.results.append(result)
            self.current = None
            self.took = None
            if transcript in self.replaying:
                self.replaying.remove(transcript)
            self.say(f"{'PASS' if result.passed else 'FAIL'} {transcript} ({result.seconds:.1f} s)")


def run_in_vm(
    pre: Prerequisites,
    accel: str,
    transcripts: list[Path],
    replay: Path,
    *,
    timeout: float,
    boot_timeout: float,
    command_timeout: float | None,
    memory: str,
    echo: bool,
    jobs: int = 0,
) -> Report:
    report = Report(accel=accel, kernel=str(pre.kernel), root=pre.root_label())
    report.transcripts = [display(path) for path in transcripts]
    nonce = secrets.token_hex(8)
    command_timeout = command_timeout or COMMAND_TIMEOUT[accel]
    cpus = os.cpu_count() or 1
    with tempfile.TemporaryDirectory(prefix="lab-vm-plan-") as plan:
        precompile()  # before the list of files to copy, which names the bytecode
        write_plan(Path(plan), report.transcripts, checkout_files())
        command = guest_command(nonce, replay, command_timeout, jobs or cpus)
        argv = vng_argv(pre, accel, command, memory, cpus, plan=Path(plan))
        boot_and_follow(pre, argv, report, nonce, echo=echo, timeout=timeout, boot=boot_timeout)
    return report


def dry_run(pre: Prerequisites, accel: str, memory: str) -> int:
    """virtme-ng up to the point where it would start QEMU: what a boot looks up and runs on the
    host (tests/install traces it to find the Debian packages those programs come from)."""
    argv = vng_argv(pre, accel, ["true"], memory, os.cpu_count() or 1)
    argv.insert(1, "--dry-run")
    done = subprocess.run(  # noqa: S603 - argv from vng_argv
        argv, env=vng_env(pre.vng), check=False, timeout=300
    )
    return EXIT_OK if done.returncode == 0 else EXIT_VM_ERROR


def write_plan(folder: Path, transcripts: list[str], checkout: list[str] | None = None) -> None:
    (folder / PLAN_FILE).write_text("".join(f"{name}\n" for name in transcripts))
    if checkout is not None:
        (folder / CHECKOUT_LIST).write_text("".join(f"{name}\0" for name in checkout))


def checkout_files() -> list[str] | None:
    """What the guest copies from /vagrant into its memory: the author's files as git sees
    them (tracked, and new ones not ignored), and the bytecode precompile() wrote. Not what
    .gitignore leaves out: the virtualenv, built sites, Lighthouse's node_modules, caches,
    which would cost minutes to copy over 9p under TCG. None (no copy: the guest replays from
    the share) when this is not a git checkout."""
    try:
        listed = subprocess.run(  # noqa: S603 - fixed argv
            ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
            cwd=REPO,
            capture_output=True,
            check=True,
            timeout=60,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    names = [name for name in listed.stdout.decode().split("\0") if name]
    # Listed but deleted in the working tree: nothing to copy.
    files = [name for name in names if os.path.lexists(REPO / name)]
    for folder in PRECOMPILED:
        files += sorted(str(path.relative_to(REPO)) for path in (REPO / folder).rglob("*.pyc"))
    return files


def guest_command(nonce: str, replay: Path, command_timeout: float, jobs: int) -> list[str]:
    """What the guest runs: tests/vm/guest.sh, reading the transcripts from the plan."""
    return [
        "env",
        f"LAB_VM_JOBS={jobs}",  # tests/vm/guest.sh: transcripts replayed at once
        "bash",
        GUEST_SCRIPT,
        nonce,
        display(replay),
        f"{command_timeout:g}",
        f"{GUEST_PLAN_DIR}/{PLAN_FILE}",
    ]


def boot_and_follow(
    pre: Prerequisites,
    argv: list[str],
    report: Report,
    nonce: str,
    *,
    echo: bool,
    timeout: float,
    boot: float,
) -> None:
    """Boot, stream the guest's output into the report, and judge the run."""
    started = time.monotonic()
    run = Run(report, nonce, started, echo)

    def deadline() -> float:
        return started + (boot if report.boot_seconds is None else timeout)

    with VM(argv, vng_env(pre.vng)) as vm:
        try:
            for when, line in vm.output(deadline):
                run.feed(when, line)
            status = vm.wait(timeout=max(1.0, started + timeout - time.monotonic()))
        except (TimeoutError, subprocess.TimeoutExpired):
            status = None
    report.total_seconds = round(time.monotonic() - started, 2)
    judge(report, run, status, timeout, boot)


def judge(report: Report, run: Run, status: int | None, timeout: float, boot: float) -> None:
    """Turn what the guest said into the run's verdict; a silent or partial run never passes."""
    tail = "\n".join(run.tail)
    if report.boot_seconds is None:
        report.error = (
            f"the VM did not boot within {boot:.0f} s"
            if status is None
            else f"the VM exited (status {status}) before running anything:\n{tail}"
        )
        report.fix = (
            "run `tests/vm/run_vm.py --accel tcg` to rule out KVM; check the qemu/kernel output "
            f"above; reinstall the VM packages: {INSTALL_HINT}"
        )
        report.exit_status = EXIT_VM_ERROR
    elif status is None:
        busy = [run.current[0]] if run.current else run.replaying
        where = f" while replaying {', '.join(busy)}" if busy else ""
        report.error = f"the VM run exceeded its {timeout:.0f} s timeout{where}; QEMU was killed"
        report.fix = "raise --timeout (or LAB_VM_TIMEOUT) if the machine is just slow"
        report.exit_status = EXIT_VM_ERROR
    elif not run.finished or len(report.results) != len(report.transcripts):
        report.error = f"the VM stopped before replaying every transcript:\n{tail}"
        report.fix = "look for a kernel panic or an out-of-memory kill in the output above"
        report.exit_status = EXIT_VM_ERROR
    elif report.guest_kernel != kernel_release(Path(report.kernel)):
        report.error = f"the guest ran kernel {report.guest_kernel!r}, not {report.kernel}"
        report.fix = "this is a bug in tests/vm/run_vm.py or virtme-ng"
        report.exit_status = EXIT_VM_ERROR
    elif not report.guest_release.startswith(DEBIAN_RELEASE):
        report.error = f"the guest runs Debian {report.guest_release!r}, not {DEBIAN_RELEASE}x"
        report.fix = f"rebuild the root file system: {ROOTFS_HINT}"
        report.exit_status = EXIT_VM_ERROR
    elif any(not result.passed for result in report.results):
        report.exit_status = EXIT_MISMATCH


def print_summary(report: Report) -> None:
    print()
    print(f"== lab transcripts in the VM ({report.accel.upper()}, kernel {report.guest_kernel})")
    print(f"   root file system: {report.root}, Debian {report.guest_release or '?'}")
    if report.kvm_note:
        print(f"   accelerator: {report.kvm_note}")
    if report.tools:
        tools = ", ".join(f"{name} {version}" for name, version in report.tools.items())
        print(f"   the guest's packages: {tools}")
    for result in report.results:
        verdict = "PASS" if result.passed else f"FAIL (lab/replay exit {result.exit_status})"
        print(f"   {verdict:<6} {result.transcript}  {result.seconds:.1f} s")
    boot = f"{report.boot_seconds:.1f} s" if report.boot_seconds is not None else "-"
    print(f"   boot to first command {boot}, whole run {report.total_seconds:.1f} s")
    if report.error:
        print(f"run_vm: error: {report.error}", file=sys.stderr)
        print(f"run_vm: fix: {report.fix}", file=sys.stderr)
    passed = sum(result.passed for result in report.results)
    print(f"{passed} passed, {len(report.transcripts) - passed} failed")


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("transcripts", nargs="*", help="default: every lab/**/*.console")
    parser.add_argument(
        "--accel",
        choices=["auto", "kvm", "tcg"],
        default=os.environ.get("LAB_VM_ACCEL", "auto"),
        help="auto (default, $LAB_VM_ACCEL): KVM if a probe boot works, else TCG",
    )
    parser.add_argument(
        "--timeout",
        type=float,
        default=float(os.environ.get("LAB_VM_TIMEOUT", "1800")),
        help="seconds for the whole VM run (default 1800, $LAB_VM_TIMEOUT)",
    )
    parser.add_argument("--boot-timeout", type=float, default=180, help="default 180 s")
    parser.add_argument(
        "--command-timeout",
        type=float,
        help="lab/replay --timeout in the guest: seconds one command may take (default "
        + ", ".join(f"{s:g} under {accel.upper()}" for accel, s in COMMAND_TIMEOUT.items())
        + ")",
    )
    parser.add_argument(
        "--jobs",
        type=int,
        default=int(os.environ.get("LAB_VM_JOBS", "0")),
        help="transcripts the guest replays at once (default: one per vCPU, $LAB_VM_JOBS); "
        "1 on a host whose CPUs are busy with other work",
    )
    parser.add_argument("--kvm-probe-timeout", type=float, default=20, help="default 20 s")
    parser.add_argument("--kernel", default=os.environ.get("LAB_VM_KERNEL"), help="vmlinuz path")
    parser.add_argument(
        "--root",
        default=os.environ.get("LAB_VM_ROOTFS"),
        help="root file system to boot (default: the cached build of tests/vm/rootfs.py)",
    )
    parser.add_argument(
        "--share-root",
        action="store_true",
        help="share the root folder over 9p even where its disk image exists (slower; "
        "tests/bench/bench_vm.py compares the two)",
    )
    # Two transcripts replay at once (one per vCPU), containerd's among them.
    parser.add_argument("--memory", default="2G", help="guest memory (default 2G)")
    parser.add_argument("--replay", default=str(DEFAULT_REPLAY), help=argparse.SUPPRESS)
    parser.add_argument("--report", type=Path, help="also write the report as JSON here")
    parser.add_argument("--quiet", action="store_true", help="do not stream the guest's output")
    parser.add_argument(
        "--check", action="store_true", help="only check the prerequisites, boot nothing"
    )
    parser.add_argument(
        "--dry-run",
        action="store_true",
        help="boot nothing: run virtme-ng as a boot would (it finds its tools, builds the "
        "initramfs) with its own --dry-run, which prints QEMU's command line instead",
    )
    return parser.parse_args(argv)


def write_report(path: Path | None, report: Report) -> None:
    if path is not None:
        data = asdict(report)
        path.write_text(json.dumps(data, indent=2) + "\n")


def raise_terminated(signum: int, frame: object) -> None:
    raise Terminated


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    # `kill PID` from make or CI must still run the cleanup in VM.__exit__.
    signal.signal(signal.SIGTERM, raise_terminated)
    report = Report(accel=args.accel, kernel=args.kernel or "")
    try:
        pre = find_prerequisites(args.kernel, args.root)
        if args.share_root:
            pre.disk = None
        report.kernel, report.root = str(pre.kernel), pre.root_label()
        if args.check:
            print(f"run_vm: ready: {pre.qemu}, root {pre.root}, kernel {pre.kernel}, {pre.vng}")
            return EXIT_OK
        if args.dry_run:
            return dry_run(pre, "tcg" if args.accel == "auto" else args.accel, args.memory)
        replay = Path(args.replay).resolve()
        if not os.access(replay, os.X_OK):
            raise Problem(f"{display(replay)} is missing or not executable", "", EXIT_BAD_INPUT)
        transcripts = find_transcripts(args.transcripts)
        accel, note = choose_accel(pre, args.accel, args.kvm_probe_timeout)
        print(f"run_vm: {note}", flush=True)
        report = run_in_vm(
            pre,
            accel,
            transcripts,
            replay,
            timeout=args.timeout,
            boot_timeout=args.boot_timeout,
            command_timeout=args.command_timeout,
            memory=args.memory,
            echo=not args.quiet,
            jobs=args.jobs,
        )
        report.kvm_note = note
    except Problem as problem:
        report.error, report.fix, report.exit_status = problem.why, problem.fix, problem.code
        print(f"run_vm: error: {problem.why}", file=sys.stderr)
        if problem.fix:
            print(f"run_vm: fix: {problem.fix}", file=sys.stderr)
        write_report(args.report, report)
        return problem.code
    except (KeyboardInterrupt, Terminated) as stop:
        print("run_vm: interrupted; the VM's processes were killed", file=sys.stderr)
        return 143 if isinstance(stop, Terminated) else 130
    print_summary(report)
    write_report(args.report, report)
    return report.exit_status


if __name__ == "__main__":
    sys.exit(main())
