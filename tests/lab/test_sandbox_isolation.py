"""Nothing reaches the host: no netns, /run/netns entry, interface, firewall rule or process
survives a replay, also when a command hangs past its timeout or the runner is killed. The same
holds for a container runtime the transcript starts: containerd, its shims and pods' pause
processes, its files (/run/containerd*, /var/lib/containerd-lab, /var/lib/cni) and the cgroups
runc makes (cgroup v1 trees and the v2 one)."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from labrun import report, run, sandbox, transcript
from testkit.paths import LAB_DIR
from testkit.policy import skip_or_fail
from testkit.procfs import alive, descendants

# Distinctive names, so concurrent activity on the host cannot be mistaken for a leak; the
# sleeps' durations carry this process's ID, since other checkouts may run these tests at once.
BACKGROUND_SLEEP = f"987.{os.getpid()}"
HANGING_SLEEP = f"60.{os.getpid()}"
LEAKY = f"""\
$ ip netns add leakcheck-ns
$ ip link add leakchk0 type veth peer name leakchk1
$ ip link add leakchkbr0 type bridge
$ iptables -N LEAKCHECK && iptables -A FORWARD -j LEAKCHECK
$ nft add table inet leakcheck
$ sleep {BACKGROUND_SLEEP} &
"""


RUNTIME_PATHS = (
    "/run/containerd",
    "/run/containerd-lab",
    "/run/cni-shim",
    "/var/lib/cni",
    "/var/lib/containerd",
    "/var/lib/containerd-lab",
)
RUNTIME_COMMANDS = {"containerd", "containerd-shim", "containerd-shim-runc-v2", "runc", "pause"}


def sandbox_cgroups() -> list[str]:
    """Cgroup directories a sandbox or runc makes, in every tree (v1 controllers, v2)."""
    found = []
    for directory, subdirectories, _ in os.walk("/sys/fs/cgroup"):
        for name in subdirectories:
            if name.startswith(("labrun-", "kubepods", "pod")):
                found.append(os.path.join(directory, name))
    return sorted(found)


def runtime_mounts() -> list[str]:
    """Mounts a runtime makes (netns pins, snapshots, overlays, tmpfs on /var/lib or /run)."""
    found = []
    with open("/proc/self/mounts", encoding="utf-8") as mounts:
        for line in mounts:
            _, point, fs_type, *_ = line.split()
            if fs_type in ("nsfs", "overlay") or point.startswith(("/run/", "/var/lib")):
                found.append(f"{point} {fs_type}")
    return sorted(found)


def runtime_processes() -> list[int]:
    """containerd, shims, runc and pause processes outside every sandbox's cgroup: a process
    still inside one keeps that cgroup alive, which the cgroups check catches; this way a
    sandbox another checkout runs meanwhile is not taken for a leak."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and alive(int(entry.name)):
            try:
                name = (entry / "comm").read_text().strip()
                confined = "/labrun-" in (entry / "cgroup").read_text()
            except OSError:
                continue
            if name in RUNTIME_COMMANDS and not confined:
                found.append(int(entry.name))
    return sorted(found)


def host_state() -> dict[str, object]:
    """What a leak would change on the host, read without touching anything."""

    def read(argv: list[str]) -> str:
        done = subprocess.run(argv, capture_output=True, text=True, check=False, timeout=30)  # noqa: S603
        return done.stdout

    links = json.loads(read(["ip", "-json", "link"]) or "[]")
    state: dict[str, object] = {
        "links": sorted(link["ifname"] for link in links),
        "netns": read(["ip", "netns", "list"]),
        "run-netns": sorted(os.listdir("/run/netns")) if os.path.isdir("/run/netns") else [],
        "runtime-paths": [path for path in RUNTIME_PATHS if os.path.lexists(path)],
        "mounts": runtime_mounts(),
        "cgroups": sandbox_cgroups(),
        "runtime-processes": runtime_processes(),
    }
    if os.geteuid() == 0:
        rules = read(["iptables-save"]).splitlines()
        state["iptables"] = [line for line in rules if not line.startswith("#")]
        state["nft"] = read(["nft", "list", "ruleset"])
    return state


def processes_with_argv(argv: list[str]) -> list[int]:
    wanted = "\0".join(argv).encode() + b"\0"
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if (entry / "cmdline").read_bytes() == wanted:
                    found.append(int(entry.name))
            except OSError:
                continue
    return found


def wait_until(condition: Callable[[], bool], seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return condition()


@pytest.fixture
def unchanged_host(sandbox_works: None) -> Iterator[None]:
    """Fails the test if the host gained a namespace, interface or firewall rule meanwhile.

    Only additions count, so another suite removing things concurrently cannot fail this one.
    """
    before = host_state()
    yield
    after = host_state()
    for key in ("netns", "run-netns"):
        assert after[key] == before[key], key
    for key in ("links", "iptables", "runtime-paths", "mounts", "cgroups", "runtime-processes"):
        added = sorted(set(after.get(key, [])) - set(before.get(key, [])))  # type: ignore[call-overload]
        assert added == [], f"new on the host: {key} {added}"
    assert after.get("nft") == before.get("nft")
    assert not any("leakch" in link for link in after["links"])  # type: ignore[union-attr]


def test_a_replay_leaves_nothing_on_the_host(write_transcript, fixture_lab, unchanged_host):
    path = write_transcript(
        "leak.console", LEAKY + "$ ip -br link show leakchk0 | cut -d' ' -f1\nleakchk0@leakchk1\n"
    )
    outcome = run.replay(transcript.load(path), fixture_lab)
    assert outcome.ok, report.describe(outcome, fixture_lab.parent / "docs", fixture_lab)
    assert processes_with_argv(["sleep", BACKGROUND_SLEEP]) == []


def test_a_hanging_command_times_out_with_its_line_and_leaves_nothing(
    write_transcript, fixture_lab, unchanged_host
):
    path = write_transcript("hang.console", LEAKY + f"$ sleep {HANGING_SLEEP}\n$ echo never\n")
    started = time.monotonic()
    outcome = run.replay(transcript.load(path), fixture_lab, default_timeout=1)
    assert time.monotonic() - started < 10
    assert outcome.error is not None
    assert str(outcome.error).startswith(
        f"{path}:7: no prompt after 1 s (the command hangs): `sleep {HANGING_SLEEP}`"
    )
    assert processes_with_argv(["sleep", BACKGROUND_SLEEP]) == []
    assert processes_with_argv(["sleep", HANGING_SLEEP]) == []


@pytest.mark.parametrize(
    "signal_number",
    [signal.SIGKILL, signal.SIGTERM, signal.SIGINT],
    ids=lambda number: signal.Signals(number).name,
)
def test_a_killed_or_interrupted_runner_takes_its_sandbox_with_it(
    write_transcript, fixture_lab, unchanged_host, signal_number
):
    # A duration no other process uses, so only this test's own sleep is found.
    duration = f"300.{os.getpid()}{int(signal_number)}"
    path = write_transcript("killed.console", LEAKY + f"$ sleep {duration}\n")
    replay = subprocess.Popen(  # noqa: S603
        [
            sys.executable,
            str(LAB_DIR / "replay"),
            "--lab-dir",
            str(fixture_lab),
            "--timeout",
            "600",
            str(path),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        assert wait_until(lambda: bool(processes_with_argv(["sleep", duration])), 20)
        sandbox_processes = descendants(replay.pid)
        assert len(sandbox_processes) >= 3  # unshare, the shell, the two sleeps
        os.kill(replay.pid, signal_number)
        replay.wait(timeout=10)
        assert wait_until(lambda: not any(alive(pid) for pid in sandbox_processes), 10)
    finally:
        if replay.poll() is None:
            replay.kill()
            replay.wait(timeout=10)


def test_the_rootless_flavour_also_isolates(tmp_path, unchanged_host):
    with sandbox.Sandbox(tmp_path, tmp_path, use_userns=True) as box:
        result = box.run("ip netns add leakcheck-ns && ip link add leakchk0 type veth && id -u", 10)
        assert (result.output, result.status) == ("0\n", 0)
        sysfs = box.run("ls /sys/class/net", 10).output.split()
        token = box.token
    assert sorted(sysfs) == ["leakchk0", "lo", "veth0"]
    assert not [p for p in Path("/proc").iterdir() if p.name.isdigit() and _has_token(p, token)]


def _read(path: Path) -> str:
    try:
        return path.read_text()
    except OSError:
        return ""


def _has_token(proc: Path, token: str) -> bool:
    try:
        return f"LABRUN_SANDBOX={token}".encode() in (proc / "environ").read_bytes()
    except OSError:
        return False


ROOTLESS = """\
$ ip netns add leakcheck-ns && ip link add leakchk0 type veth peer name eth0 netns leakcheck-ns
$ ip -br link show leakchk0 | cut -d' ' -f1
leakchk0@if2
$ id -u
0
"""


@pytest.fixture
def world_readable_dir() -> Iterator[Path]:
    """A directory any user can read (pytest's own tmp_path is private to root)."""
    with tempfile.TemporaryDirectory(prefix="labrun-rootless-") as name:
        Path(name).chmod(0o755)
        yield Path(name)


def test_a_normal_user_replays_rootless(world_readable_dir, unchanged_host):
    """As a normal user the sandbox adds a user namespace. Run as root, the test switches to
    `nobody` with a copy of labrun that user can read, and the system python3 (stdlib only)."""
    argv = [sys.executable]
    if os.geteuid() == 0:
        if not (Path("/usr/bin/setpriv").exists() and Path("/usr/bin/python3").exists()):
            skip_or_fail("switching to a normal user needs /usr/bin/setpriv and /usr/bin/python3")
        argv = ["/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
        argv.append("/usr/bin/python3")
    lab = world_readable_dir / "lab"
    ignore = shutil.ignore_patterns("__pycache__")
    shutil.copytree(LAB_DIR / "labrun", lab / "labrun", ignore=ignore)
    grammar = LAB_DIR.parent / "snippets_grammar"  # what labrun imports from beside lab/
    shutil.copytree(grammar, world_readable_dir / grammar.name, ignore=ignore)
    shutil.copy(LAB_DIR / "replay", lab / "replay")
    (lab / "post").mkdir()
    (lab / "post" / "rootless.console").write_text(ROOTLESS)
    for path in world_readable_dir.rglob("*"):
        path.chmod(0o755 if path.is_dir() else 0o644)
    done = subprocess.run(  # noqa: S603
        [*argv, str(lab / "replay"), str(lab / "post" / "rootless.console")],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
        cwd="/",
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_project_stays_visible_and_read_only_even_when_it_lives_under_tmp(
    fixture_lab, sandbox_works
):
    """CI may clone the project under /tmp, which the sandbox replaces with its own tmpfs:
    the project (the virtualenv, the tests' harnesses) must still be there, and unwritable."""
    project = fixture_lab.parent
    assert project.is_relative_to("/tmp"), "pytest's tmp_path is expected under /tmp here"
    (project / "tests").mkdir()
    (project / "tests" / "harness.txt").write_text("visible\n")
    with sandbox.Sandbox(fixture_lab, fixture_lab) as box:
        seen = box.run(f"cat {project}/tests/harness.txt", timeout=10)
        written = box.run(f"touch {project}/tests/new 2>/dev/null", timeout=10)
        private = box.run("ls /tmp", timeout=10)
    assert (seen.output, seen.status) == ("visible\n", 0)
    assert written.status != 0 and not (project / "tests" / "new").exists()
    # The host's /tmp is gone: only HOME and the mount point that puts the project back.
    assert private.output.split() == sorted(["home", project.relative_to("/tmp").parts[0]])


# containerd as section 5 starts it, with one pod running; the last command proves the pod
# has its pause process and its host-local lease.
POD_RUNNING = """\
#lab: requires root containerd runc ctr gcc protoc /usr/lib/cni/bridge /usr/lib/cni/host-local
$ cd ../runtime
#lab: timeout 60
$ ./build-pause-image /tmp/pause.tar >/dev/null
$ containerd --config containerd.toml >/tmp/containerd.log 2>&1 &
$ export CONTAINERD_ADDRESS=/run/containerd-lab/containerd.sock CONTAINERD_NAMESPACE=k8s.io
$ export CONTAINER_RUNTIME_ENDPOINT=unix:///run/containerd-lab/containerd.sock
#lab: timeout 60
$ until ctr version >/dev/null 2>&1; do sleep 0.1; done
#lab: timeout 60
$ ctr images import --snapshotter native /tmp/pause.tar >/dev/null
$ ./kubelet UpdateRuntimeConfig --pod-cidr 10.244.1.0/30
#lab: timeout 60
$ ./kubelet RunPodSandbox pod1 >/dev/null
$ pgrep -x pause >/dev/null && ls /var/lib/cni/networks/k8s-pod-network | grep -c 10.244
1
"""
# A /30 holds one pod besides the gateway: the second one fails in CNI ADD, halfway.
SETUP_FAILED = f"""\
{POD_RUNNING}#lab: timeout 60
$ ./kubelet RunPodSandbox pod2 2>&1 | grep -o 'failed to setup network for sandbox'
failed to setup network for sandbox
"""


@pytest.fixture
def runtime_lab(fixture_lab: Path) -> Path:
    """The fixture lab with the runtime lab beside its transcripts (lab/runtime, and lab/cri
    and lab/cni that its links point into), so `cd ../runtime` works wherever the checkout
    lives: the sandbox shows only the fixture project, and hides /tmp, where a checkout may be."""
    for part in ("runtime", "cri", "cni"):
        shutil.copytree(
            LAB_DIR / part,
            fixture_lab / part,
            symlinks=True,
            ignore=shutil.ignore_patterns("__pycache__"),
        )
    return fixture_lab


@pytest.mark.parametrize(
    "text",
    [pytest.param(POD_RUNNING, id="pod-running"), pytest.param(SETUP_FAILED, id="setup-failed")],
)
def test_containerd_and_its_pods_leave_nothing_on_the_host(
    write_transcript, fixture_lab, runtime_lab, unchanged_host, text
):
    path = write_transcript("runtime.console", text)
    outcome = run.replay(transcript.load(path), fixture_lab)
    if outcome.skipped:
        skip_or_fail(outcome.skipped)
    assert outcome.ok, report.describe(outcome, fixture_lab.parent / "docs", fixture_lab)


def test_a_pod_left_running_past_a_timeout_leaves_nothing(
    write_transcript, fixture_lab, runtime_lab, unchanged_host
):
    path = write_transcript("runtime-hang.console", POD_RUNNING + "$ sleep 60\n")
    outcome = run.replay(transcript.load(path), fixture_lab, default_timeout=2)
    if outcome.skipped:
        skip_or_fail(outcome.skipped)
    assert outcome.commands[-1].matched  # the pod did run: pause and its lease were there
    assert "no prompt after 2 s" in str(outcome.error)


def test_a_killed_runner_takes_containerd_its_pods_and_their_cgroups_with_it(
    write_transcript, fixture_lab, runtime_lab, unchanged_host
):
    """SIGKILL leaves the runner no chance to clean up: the kernel ends the sandbox's
    processes, and the reaper (its own process) removes the cgroups they were in."""
    duration = f"300.{os.getpid()}99"
    path = write_transcript("runtime-killed.console", POD_RUNNING + f"$ sleep {duration}\n")
    # lab/replay would skip it where the machine lacks what it requires (root, containerd):
    # say why here, instead of waiting for a pod that never comes.
    missing = run.missing_requirement(transcript.load(path), fixture_lab)
    if missing:
        skip_or_fail(missing)
    replay = subprocess.Popen(  # noqa: S603
        [sys.executable, str(LAB_DIR / "replay"), "--lab-dir", str(fixture_lab), str(path)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        if not wait_until(lambda: bool(processes_with_argv(["sleep", duration])), 120):
            replay.kill()
            pytest.fail("the pod never started (run the transcript test for details)")
        pods = [
            int(entry.name)
            for entry in Path("/proc").glob("[0-9]*")
            if _read(entry / "comm") == "pause\n" and alive(int(entry.name))
        ]
        ours = [path for path in sandbox_cgroups() if "/kubepods/" in path]
        assert pods and ours, "a running pod, in cgroups under the sandbox's own"
        os.kill(replay.pid, signal.SIGKILL)
        replay.wait(timeout=10)
        assert wait_until(lambda: not any(alive(pid) for pid in pods), 20)
        assert wait_until(lambda: not any(os.path.exists(path) for path in ours), 60)
    finally:
        if replay.poll() is None:
            replay.kill()
            replay.wait(timeout=10)
    # unchanged_host then checks that no containerd, shim, file or cgroup is left either.
    assert wait_until(lambda: not [p for p in sandbox_cgroups() if "labrun-" in p], 60)


OFFLINE = f"""\
{POD_RUNNING}$ ctr images ls -q | grep -v '^sha256:'
lab.example/pause:1.0
$ grep -v 'Start cri plugin with config' /tmp/containerd.log | grep -c -i -e pull -e resolv
0
[1]
$ ip route show default; ip -6 route show default
"""


def test_the_runtime_pulls_nothing_its_only_image_is_the_one_the_lab_built(
    write_transcript, fixture_lab, runtime_lab, sandbox_works
):
    path = write_transcript("offline.console", OFFLINE)
    outcome = run.replay(transcript.load(path), fixture_lab)
    if outcome.skipped:
        skip_or_fail(outcome.skipped)
    assert outcome.ok, report.describe(outcome, fixture_lab.parent / "docs", fixture_lab)
