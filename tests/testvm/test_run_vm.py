"""The test-VM driver's own logic, without booting a VM: verdicts, cleanup, missing tools."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

import errors
import guest_protocol
import kvm
import prerequisites
import run_vm
import verdict
import vm_process
import vng_command
from testkit.paths import REPO
from testkit.policy import skip_or_fail

DRIVER = REPO / "tools" / "testvm" / "run_vm.py"
NONCE = "0123456789abcdef"
KERNEL = "/boot/vmlinuz-6.1.0-56-amd64"


def guest_says(*lines: str, transcripts: tuple[str, ...] = ("a.console",)) -> guest_protocol.Run:
    report = verdict.Report(accel="tcg", kernel=KERNEL, transcripts=list(transcripts))
    run = guest_protocol.Run(report, NONCE, started=0.0, echo=False)
    for when, line in enumerate(lines, start=1):
        # "@@kind ..." is shorthand for a marker of this run; full "@@lab-vm ..." lines stay.
        full = line if line.startswith("@@lab-vm ") else line.replace("@@", f"@@lab-vm {NONCE} ", 1)
        run.feed(float(when), full)
    return run


BOOTED = (
    "@@booted 1.5",
    "@@kernel 6.1.0-56-amd64",
    "@@release 12.14",
    "@@tool iproute2 6.1.0-3",
)


@pytest.mark.parametrize(
    ("lines", "status", "exit_status", "error"),
    [
        pytest.param(
            (*BOOTED, "@@start a.console", "@@result 0 a.console", "@@finished"),
            0,
            errors.EXIT_OK,
            "",
            id="all-matched",
        ),
        pytest.param(
            (*BOOTED, "@@start a.console", "-old", "+new", "@@result 1 a.console", "@@finished"),
            1,
            errors.EXIT_MISMATCH,
            "",
            id="transcript-differs",
        ),
        pytest.param(
            ("qemu-system-x86_64: failed to set MSR",),
            255,
            errors.EXIT_VM_ERROR,
            "exited (status 255) before running anything",
            id="qemu-died",
        ),
        pytest.param((), None, errors.EXIT_VM_ERROR, "did not boot", id="boot-hung"),
        pytest.param(
            (*BOOTED, "@@start a.console"),
            None,
            errors.EXIT_VM_ERROR,
            "timeout while replaying a.console",
            id="replay-hung",
        ),
        pytest.param(
            (*BOOTED, "@@start a.console", "Kernel panic"),
            0,
            errors.EXIT_VM_ERROR,
            "stopped before replaying every transcript",
            id="guest-died-silently",
        ),
        pytest.param(
            ("@@booted 1.5", "@@kernel 6.18.44", "@@result 0 a.console", "@@finished"),
            0,
            errors.EXIT_VM_ERROR,
            "not /boot/vmlinuz-6.1.0-56-amd64",
            id="not-the-vm-kernel",
        ),
    ],
)
def test_a_vm_run_passes_only_when_the_guest_replayed_every_transcript_and_all_matched(
    lines: tuple[str, ...], status: int | None, exit_status: int, error: str
) -> None:
    run = guest_says(*lines)
    verdict.judge(run.report, run, status, timeout=900, boot=180)
    assert run.report.exit_status == exit_status
    assert error in run.report.error
    if error:
        assert run.report.fix


def test_the_guest_markers_fill_the_report() -> None:
    run = guest_says(*BOOTED, "@@start a.console", "@@result 0 a.console", "@@finished")
    assert run.report.boot_seconds == 1.0
    assert run.report.guest_kernel == "6.1.0-56-amd64"
    assert run.report.tools == {"iproute2": "6.1.0-3"}
    assert run.report.results == [verdict.TranscriptResult("a.console", 0, 1.0, "")]


def test_each_result_keeps_what_replay_printed_for_that_transcript_so_diffs_reach_the_host():
    run = guest_says(
        *BOOTED,
        "@@start a.console",
        "ok    a.console",
        "@@result 0 a.console",
        "@@start b.console",
        "--- b.console:4 (published)",
        "-cni0  UP",
        "+cni0  UNKNOWN",
        "@@result 1 b.console",
        "@@finished",
    )
    outputs = {result.transcript: result.output for result in run.report.results}
    assert outputs == {
        "a.console": "ok    a.console",
        "b.console": "--- b.console:4 (published)\n-cni0  UP\n+cni0  UNKNOWN",
    }


def test_a_marker_with_another_nonce_is_transcript_output_not_a_result() -> None:
    run = guest_says(*BOOTED, "@@lab-vm ffffffffffffffff result 0 a.console")
    assert run.report.results == []
    assert run.tail[-1].endswith("result 0 a.console")


def test_kill_on_timeout_ends_every_process_started_grandchildren_included() -> None:
    script = "sleep 300 & sleep 300 & echo started; wait"
    vm = vm_process.VM(["bash", "-c", script], dict(os.environ))
    lines = vm.output(lambda: time.monotonic() + 10)
    assert next(lines)[1] == "started"
    children = vm_process.descendants(vm.process.pid)
    assert len(children) == 2
    with pytest.raises(TimeoutError):
        next(vm.output(lambda: time.monotonic() + 0.2))
    started = time.monotonic()
    vm.kill()
    assert time.monotonic() - started < 5
    assert not any(vm_process.running(pid) for pid in [vm.process.pid, *children])


def driver(
    *args: str, path: str | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess:
    env = dict(env or os.environ)
    if path is not None:
        env["PATH"] = path
    return subprocess.run(
        [sys.executable, str(DRIVER), *args],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
        env=env,
    )


def test_without_qemu_the_driver_says_what_to_install_and_fails(tmp_path: Path) -> None:
    result = driver("--check", path=str(tmp_path))
    assert result.returncode == errors.EXIT_MISSING
    assert "qemu-system-x86_64 is not installed" in result.stderr
    assert prerequisites.INSTALL_HINT in result.stderr


def fake_root(path: Path, *releases: str, modules: tuple[str, ...] = ()) -> Path:
    """A folder shaped like a root file system: /bin/sh, kernels in /boot, some modules."""
    (path / "bin").mkdir(parents=True)
    (path / "bin" / "sh").touch()
    (path / "boot").mkdir()
    for release in releases:
        (path / "boot" / f"vmlinuz-{release}").write_bytes(b"kernel")
    for release in modules:
        (path / "lib" / "modules" / release).mkdir(parents=True)
    return path


def test_a_missing_root_file_system_is_named_with_the_fix(tmp_path: Path) -> None:
    result = driver("--check", "--root", str(tmp_path / "nothing"), path=os.environ["PATH"])
    if "qemu-system-x86_64 is not installed" in result.stderr:
        skip_or_fail("qemu is missing, so the driver stops before looking at the root")
    assert result.returncode == errors.EXIT_MISSING
    assert f"{tmp_path / 'nothing'} is not a root file system" in result.stderr
    assert f"run_vm: fix: {prerequisites.ROOTFS_HINT}" in result.stderr


def test_an_unbuilt_cache_says_how_to_build_the_root_file_system(tmp_path: Path) -> None:
    env = {**os.environ, "LAB_ROOTFS_CACHE": str(tmp_path)}
    result = driver("--check", path=os.environ["PATH"], env=env)
    if "qemu-system-x86_64 is not installed" in result.stderr:
        skip_or_fail("qemu is missing, so the driver stops before looking at the root")
    assert result.returncode == errors.EXIT_MISSING
    assert "root file system is not built" in result.stderr
    assert f"run_vm: fix: {prerequisites.ROOTFS_HINT}" in result.stderr


def test_a_missing_kernel_image_is_named_with_the_fix(tmp_path: Path) -> None:
    root = fake_root(tmp_path / "root")
    missing = tmp_path / "vmlinuz-0.0.0"
    result = driver(
        "--check", "--root", str(root), "--kernel", str(missing), path=os.environ["PATH"]
    )
    if "qemu-system-x86_64 is not installed" in result.stderr:
        skip_or_fail("qemu is missing, so the driver stops before looking at the kernel")
    assert result.returncode == errors.EXIT_MISSING
    assert f"kernel image {missing} does not exist" in result.stderr
    assert "run_vm: fix:" in result.stderr


def test_the_root_file_systems_newest_kernel_with_modules_is_chosen(tmp_path: Path) -> None:
    root = fake_root(
        tmp_path / "root",
        "6.1.0-9-amd64",
        "6.1.0-56-amd64",
        "6.1.0-99-amd64",  # no modules: virtme-ng could not load veth or bridge
        modules=("6.1.0-9-amd64", "6.1.0-56-amd64"),
    )
    assert prerequisites.find_kernel(root, None) == root / "boot" / "vmlinuz-6.1.0-56-amd64"
    assert prerequisites.version_key("6.1.0-56-amd64") > prerequisites.version_key("6.1.0-9-amd64")


def test_the_vm_boots_the_root_file_system_with_the_checkout_at_vagrant() -> None:
    pre = prerequisites.Prerequisites(
        Path("vng"), Path("qemu"), Path("/cache/lab"), Path(KERNEL), "6.1.0-56-amd64"
    )
    argv = vng_command.vng_argv(pre, "tcg", ["true"], "1G", 2)
    assert argv[argv.index("--root") + 1] == "/cache/lab"
    assert "--force-9p" in argv
    assert argv[argv.index("--rodir") + 1] == f"/vagrant={REPO}"
    assert argv[-1] == "cd /vagrant && true"


def test_the_vm_boots_from_the_disk_image_when_there_is_one() -> None:
    pre = prerequisites.Prerequisites(
        Path("vng"),
        Path("qemu"),
        Path("/cache/lab"),
        Path(KERNEL),
        "6.1.0-56-amd64",
        disk=Path("/cache/lab.ext4"),
    )
    argv = vng_command.vng_argv(pre, "tcg", ["true"], "1G", 2)
    assert argv[argv.index("--root-disk") + 1] == "/cache/lab.ext4"
    assert argv[argv.index("--root-fstype") + 1] == "ext4"
    assert "--root" not in argv
    assert "--force-9p" in argv  # the checkout and the plan: no wait for a virtiofsd
    assert pre.root_label() == "lab (ext4 disk image)"


def test_the_disk_image_beside_a_root_folder_is_found(tmp_path: Path) -> None:
    root = fake_root(tmp_path / "lab")
    assert prerequisites.find_disk(root) is None
    (tmp_path / "lab.ext4").touch()
    assert prerequisites.find_disk(root) == tmp_path / "lab.ext4"


def test_the_vm_gets_no_network_card() -> None:
    pre = prerequisites.Prerequisites(
        Path("vng"), Path("qemu"), Path("/cache/lab"), Path(KERNEL), "6.1.0-56-amd64"
    )
    argv = vng_command.vng_argv(pre, "tcg", ["true"], "1G", 2)
    assert not {"--network", "-n", "--ssh", "--console"} & set(argv)
    assert "--disable-kvm" in argv
    assert "--disable-kvm" not in vng_command.vng_argv(pre, "kvm", ["true"], "1G", 2)


# A stand-in for lab/replay: "a" passes only if "b" starts while it runs (bounded wait), so it
# proves the guest replays transcripts side by side without timing anything; "b" differs.
FAKE_REPLAY = """#!/bin/bash
transcript=$3
echo "replayed $transcript"
if [ "$transcript" = a.console ]; then
    sleep 0.3  # a time the guest must measure, whatever the order the two start in
    for _ in $(seq 100); do [ -e "$FLAGS/b.started" ] && exit 0; sleep 0.1; done
    echo "b.console did not start while a.console ran"
    exit 3
fi
touch "$FLAGS/b.started"
echo "-published"
echo "+printed"
exit 1
"""


def run_guest_script(tmp_path: Path, jobs: int) -> guest_protocol.Run:
    replay = tmp_path / "replay"
    replay.write_text(FAKE_REPLAY)
    replay.chmod(0o755)
    flags = tmp_path / "flags"
    flags.mkdir()
    guest_protocol.write_plan(tmp_path, ["a.console", "b.console"])
    plan = tmp_path / guest_protocol.PLAN_FILE
    result = subprocess.run(
        ["bash", guest_protocol.GUEST_SCRIPT, NONCE, str(replay), "5", str(plan)],
        cwd=REPO,
        env={**os.environ, "FLAGS": str(flags), "LAB_VM_JOBS": str(jobs), "TMPDIR": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    report = verdict.Report(accel="tcg", kernel=KERNEL, transcripts=["a.console", "b.console"])
    run = guest_protocol.Run(report, NONCE, started=0.0, echo=False)
    for line in result.stdout.splitlines():
        run.feed(1.0, line)
    assert run.finished, result.stdout + result.stderr
    return run


def test_the_guest_replays_transcripts_side_by_side_and_reports_each_whole_in_order(
    tmp_path: Path,
) -> None:
    run = run_guest_script(tmp_path, jobs=2)
    results = {result.transcript: result for result in run.report.results}
    assert [result.transcript for result in run.report.results] == ["a.console", "b.console"]
    assert results["a.console"].exit_status == 0, results["a.console"].output
    assert results["a.console"].output == "replayed a.console"
    assert results["b.console"].exit_status == 1
    assert results["b.console"].output == "replayed b.console\n-published\n+printed"
    # The guest's own measure, not the arrival time of the markers (all 1.0 here).
    assert results["a.console"].seconds >= 0.3
    assert not list(tmp_path.glob("tmp.*")), "the guest left its output folder behind"


def test_one_job_replays_one_transcript_at_a_time(tmp_path: Path) -> None:
    run = run_guest_script(tmp_path, jobs=1)
    first = run.report.results[0]
    assert first.exit_status == 3
    assert "did not start while a.console ran" in first.output


def test_a_timeout_names_every_transcript_the_guest_was_replaying() -> None:
    run = guest_says(
        *BOOTED, "@@replaying a.console", "@@replaying b.console", transcripts=("a", "b")
    )
    verdict.judge(run.report, run, None, timeout=900, boot=180)
    assert "while replaying a.console, b.console" in run.report.error


@pytest.mark.parametrize(
    ("flags", "expected"),
    [
        ("fpu vme de pse tsc msr pae mce cx8 apic sep vmx ssse3", True),
        ("fpu vme de pse tsc msr svm lahf_lm", True),
        ("fpu vme de pse tsc msr pae mce hypervisor", False),
    ],
)
def test_kvm_is_not_probed_on_a_cpu_without_vt_x_or_amd_v(flags: str, expected: bool) -> None:
    cpuinfo = f"processor\t: 0\nmodel name\t: x\nflags\t\t: {flags}\n\nprocessor\t: 1\n"
    assert kvm.cpu_has_virtualization(cpuinfo) is expected


def test_the_guest_script_names_its_arguments_when_the_plan_is_missing(tmp_path: Path) -> None:
    result = subprocess.run(
        ["bash", guest_protocol.GUEST_SCRIPT, NONCE, "lab/replay", "5", str(tmp_path / "no-plan")],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert result.returncode == 2
    assert "usage: guest.sh NONCE REPLAY COMMAND_TIMEOUT PLAN" in result.stderr


# x86's COMMAND_LINE_SIZE: a longer kernel command line is cut, and the guest's command with it.
KERNEL_COMMAND_LINE_SIZE = 2048


def test_the_kernel_command_line_fits_however_many_transcripts_there_are(tmp_path: Path) -> None:
    """The guest's command travels on the kernel command line (virtme-ng's virtme.exec). A
    hundred long transcript names must not lengthen it: they go in the plan file."""
    root = fake_root(tmp_path / "root", "6.1.0-56-amd64")
    names = [
        f"lab/a-rather-long-post-name/{index:02d}-a-rather-long-transcript.console"
        for index in range(100)
    ]
    guest_protocol.write_plan(tmp_path, names)
    pre = prerequisites.Prerequisites(
        prerequisites.find_vng(),
        Path("/usr/bin/qemu-system-x86_64"),
        root,
        root / "boot" / "vmlinuz-6.1.0-56-amd64",
        "6.1.0-56-amd64",
    )
    command = guest_protocol.guest_command(NONCE, run_vm.DEFAULT_REPLAY, 120.0, 2)
    argv = vng_command.vng_argv(pre, "tcg", command, "1G", 2, plan=tmp_path)
    dry = subprocess.run(
        [*argv, "--dry-run"],
        env=vng_command.vng_env(pre.vng),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    appended = re.search(r"-append '([^']*)'", dry.stdout + dry.stderr)
    assert appended, dry.stdout + dry.stderr
    assert len(appended.group(1)) < KERNEL_COMMAND_LINE_SIZE
    assert f"{vng_command.GUEST_PLAN_DIR}={tmp_path}" in argv


def test_the_guest_copies_the_authors_files_and_the_bytecode_not_what_git_ignores() -> None:
    guest_protocol.precompile()
    files = guest_protocol.checkout_files()
    assert files is not None, "this checkout is a git checkout"
    assert {"lab/replay", "tools/testvm/guest.sh", "mkdocs.yml"} <= set(files)
    assert any(name.startswith("docs/posts/") for name in files)  # the report names sections
    assert any(name.startswith("lab/labrun/__pycache__/") for name in files)
    ignored = (".git/", ".venv/", "site/", "tests/artifacts/", "tools/bench/.node/", ".cache/")
    assert not [name for name in files if name.startswith(ignored)]
    assert all(os.path.lexists(REPO / name) for name in files)
