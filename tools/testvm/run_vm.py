#!/usr/bin/env python3
"""Boot a disposable QEMU VM over this checkout and replay the lab transcripts inside it.

The sandbox run proves the transcripts on the host's kernel and tools; this run proves them in
the reader's userland: a Debian 12 root file system built from Debian's archive and provisioned
by lab/provision.sh (tools/testvm/rootfs.py, cached), booted with its own kernel (Debian's
linux-image-amd64) by virtme-ng, read-only from its ext4 disk image (writes go to throwaway
tmpfs). Nothing installed on the host can make this run pass. The checkout is shared read-only
at /vagrant, where the reader's Vagrant VM has it. The VM has no network card (virtme-ng's default
`-net none`), only `lo`.

Inside the VM, tools/testvm/guest.sh runs `lab/replay TRANSCRIPT` once per transcript, one per
vCPU at a time (the VM gets one vCPU per host CPU; TCG runs them on as many host threads), and
prints marker lines, each transcript's output whole and in order; this driver streams the
guest's output, reads the markers and reports on the host.

KVM is used only when a short probe boot proves it works (QEMU+KVM crashes or hangs on some
hosts); otherwise QEMU's TCG emulator runs the VM. Every wait has a deadline, and on timeout or
interrupt the driver kills the QEMU processes it started, by PID.

The driver's parts, one concern each: prerequisites.py (what the host needs), vng_command.py
(how vng boots the guest), vm_process.py (the running VM, killed by PID), kvm.py (KVM or TCG),
guest_protocol.py (the plan, the guest's command and its marker lines), verdict.py (the report),
errors.py (exit codes: 0 all matched, 1 a mismatch, 2 bad input, 3 the VM failed, 4 missing).
"""

from __future__ import annotations

import argparse
import os
import secrets
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from errors import EXIT_BAD_INPUT, EXIT_OK, EXIT_VM_ERROR, Problem, Terminated
from guest_protocol import (
    Run,
    checkout_files,
    display,
    guest_command,
    precompile,
    write_plan,
)
from kvm import choose_accel
from prerequisites import REPO, Prerequisites, find_prerequisites
from verdict import Report, judge, print_summary, write_report
from vm_process import VM
from vng_command import vng_argv, vng_env

DEFAULT_REPLAY = REPO / "lab" / "replay"
# lab/replay's default per-command limit is sized for the host. Under TCG every instruction is
# emulated, several transcripts replay at once, and the heaviest commands (a server starting,
# writing-a-cni-plugin's parallel podnet ADDs) get a fraction of the CPU: they need many times
# longer, and a limit too short would fail a transcript that is right.
COMMAND_TIMEOUT = {"tcg": 120.0, "kvm": 30.0}


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
        help="root file system to boot (default: the cached build of tools/testvm/rootfs.py)",
    )
    parser.add_argument(
        "--share-root",
        action="store_true",
        help="share the root folder over 9p even where its disk image exists (slower; "
        "tools/bench/bench_vm.py compares the two)",
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
