#!/usr/bin/env python3
"""Pod start figures behind a real containerd (a script, not a test): bridge + host-local
against podnet, each pod asked for over CRI as the kubelet asks.

.venv/bin/python tools/bench/bench_runtime.py [--pods 20] [--rounds 2]

Everything runs inside one lab sandbox: the script re-runs itself there, with the system's
/usr/bin/python3 (Debian's grpcio, what lab/cri/kubelet runs with), with --inside. containerd
starts from lab/runtime/containerd.toml with two changes: its plugins come from a directory of
the real reference plugins and an installed (byte-compiled) podnet, not the lab's shim, and the
network is a conflist dropped into conf_dir. For each round and each plugin: a fresh containerd,
--pods RunPodSandbox calls timed one by one (netns, CNI ADD, pause), then StopPodSandbox +
RemovePodSandbox timed (two DELs). Plugins alternate round by round so machine load hits both.
"""

from __future__ import annotations

import argparse
import importlib.machinery
import importlib.util
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path
from types import ModuleType

import in_sandbox  # tools/bench/, beside this script

from testkit.paths import LAB_DIR

RUNTIME_DIR = LAB_DIR / "runtime"
WORK = Path("/tmp/bench-runtime")
STATE = Path("/run/containerd-lab")
SOCKET = f"unix://{STATE}/containerd.sock"
REFERENCE_DIR = Path("/usr/lib/cni")
WARM_UP = 2  # pods per round left out of the figures: first image unpack, bridge creation


def conflist(plugin_type: str) -> str:
    """The same network for both plugins: the article's bridge cni0 and one /24."""
    plugin = {
        "type": plugin_type,
        "bridge": "cni0",
        "isGateway": True,
        "ipMasq": False,
        "ipam": {
            "type": "host-local",
            "subnet": "10.244.1.0/24",
            "routes": [{"dst": "0.0.0.0/0"}],
        },
    }
    network = {"cniVersion": "1.0.0", "name": "k8s-pod-network", "plugins": [plugin]}
    return json.dumps(network, indent=2)


def run(*argv: str, timeout: float = 120) -> str:
    done = subprocess.run(argv, capture_output=True, text=True, check=True, timeout=timeout)
    return done.stdout


def prepare() -> Path:
    """The plugin directory, the pause image and a containerd config pointing at both."""
    bin_dir = WORK / "cni-bin"
    bin_dir.mkdir(parents=True)
    for name in ("bridge", "host-local", "loopback"):
        (bin_dir / name).symlink_to(REFERENCE_DIR / name)
    # podnet as a package would install it: copied and byte-compiled (lab/ is read-only).
    shutil.copytree(LAB_DIR / "cni", WORK / "cni", ignore=shutil.ignore_patterns("__pycache__"))
    run("/usr/bin/python3", "-m", "compileall", "-q", str(WORK / "cni"))
    (bin_dir / "podnet").symlink_to(WORK / "cni" / "podnet")
    run(str(RUNTIME_DIR / "build-pause-image"), str(WORK / "pause.tar"))
    config = (RUNTIME_DIR / "containerd.toml").read_text()
    for old, new in (
        ('bin_dir = "cni-bin"', f'bin_dir = "{bin_dir}"'),
        ('conf_template = "', f'conf_template = "{RUNTIME_DIR}/'),
    ):
        if old not in config:
            raise SystemExit(f"{RUNTIME_DIR / 'containerd.toml'}: no `{old}` to replace")
        config = config.replace(old, new)
    path = WORK / "containerd.toml"
    path.write_text(config)
    return path


class Containerd:
    """One containerd for one round: the given network, the pause image imported."""

    def __init__(self, config: Path, plugin_type: str) -> None:
        self.config, self.plugin_type = config, plugin_type
        self.process: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> Containerd:
        shutil.rmtree(STATE / "net.d", ignore_errors=True)
        (STATE / "net.d").mkdir(parents=True)
        (STATE / "net.d" / "10-bench.conflist").write_text(conflist(self.plugin_type))
        with open(WORK / f"containerd-{self.plugin_type}.log", "ab") as log:
            self.process = subprocess.Popen(  # noqa: S603 - fixed argv
                ["containerd", "--config", str(self.config)], stdout=log, stderr=log
            )
        env = {**os.environ, "CONTAINERD_ADDRESS": f"{STATE}/containerd.sock"}
        deadline = time.monotonic() + 60
        while subprocess.run(
            ["ctr", "version"], env=env, capture_output=True, check=False, timeout=30
        ).returncode:
            if time.monotonic() > deadline:
                raise SystemExit("containerd did not answer within 60 s")
            time.sleep(0.1)
        run(
            "ctr",
            "--address",
            f"{STATE}/containerd.sock",
            "-n",
            "k8s.io",
            "images",
            "import",
            "--snapshotter",
            "native",
            str(WORK / "pause.tar"),
        )
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self.process is not None:
            self.process.send_signal(signal.SIGTERM)
            self.process.wait(timeout=60)


def load_kubelet() -> ModuleType:
    """lab/cri/kubelet, the article's client, as a module: the same requests, timed here."""
    loader = importlib.machinery.SourceFileLoader("kubelet", str(LAB_DIR / "cri" / "kubelet"))
    spec = importlib.util.spec_from_loader("kubelet", loader)
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    return module


def round_of_pods(kubelet: ModuleType, plugin_type: str, pods: int, first: int) -> dict:
    """Start then delete `pods` pods; seconds per RunPodSandbox and per Stop + Remove."""
    client = kubelet.Kubelet(kubelet.grpc.insecure_channel(SOCKET))
    api = kubelet.api
    names = [f"{plugin_type}-{first + index}" for index in range(pods + WARM_UP)]
    ids, run_times, delete_times = [], [], []
    for name in names:
        request = api.RunPodSandboxRequest(config=kubelet.sandbox_config(name))
        started = time.perf_counter()
        response = client.runtime.RunPodSandbox(request, timeout=kubelet.TIMEOUT)
        run_times.append(time.perf_counter() - started)
        ids.append(response.pod_sandbox_id)
    addresses = set()
    for sandbox_id in ids:
        status = client.runtime.PodSandboxStatus(
            api.PodSandboxStatusRequest(pod_sandbox_id=sandbox_id), timeout=kubelet.TIMEOUT
        )
        addresses.add(status.status.network.ip)
    for name, sandbox_id in zip(names, ids, strict=True):
        started = time.perf_counter()
        client.runtime.StopPodSandbox(
            api.StopPodSandboxRequest(pod_sandbox_id=sandbox_id), timeout=kubelet.TIMEOUT
        )
        client.runtime.RemovePodSandbox(
            api.RemovePodSandboxRequest(pod_sandbox_id=sandbox_id), timeout=kubelet.TIMEOUT
        )
        delete_times.append(time.perf_counter() - started)
        kubelet.pod_cgroups.remove_pod_cgroup(kubelet.pod_cgroup(name))
    if len(addresses) != len(ids):
        raise SystemExit(f"{plugin_type}: {len(ids)} pods got only {len(addresses)} addresses")
    leases = [n for n in os.listdir("/var/lib/cni/networks/k8s-pod-network") if n[0].isdigit()]
    if leases or run("ip", "-br", "link", "show", "master", "cni0").strip():
        raise SystemExit(f"{plugin_type}: left over after the DELs: {leases}")
    return {"run": run_times[WARM_UP:], "delete": delete_times[WARM_UP:]}


def inside(args: argparse.Namespace) -> int:
    run("ip", "link", "set", "lo", "up")
    config = prepare()
    kubelet = load_kubelet()
    times = {p: {"run": [], "delete": []} for p in ("bridge", "podnet")}
    per_round = -(-args.pods // args.rounds)  # ceiling division
    for round_number in range(args.rounds):
        order = ("bridge", "podnet") if round_number % 2 == 0 else ("podnet", "bridge")
        for plugin_type in order:
            with Containerd(config, plugin_type):
                figures = round_of_pods(kubelet, plugin_type, per_round, round_number * 1000)
            for key, values in figures.items():
                times[plugin_type][key].extend(values)
    ms = {
        p: {key: statistics.median(values) * 1000 for key, values in d.items()}
        for p, d in times.items()
    }
    count = len(times["bridge"]["run"])
    print(f"containerd {run('containerd', '--version').split()[2]}, CRI over a unix socket;")
    print(f"median over {count} pods per plugin, {args.rounds} rounds (ms):")
    for label, plugin_type in (("bridge+host-local", "bridge"), ("podnet", "podnet")):
        figures = ms[plugin_type]
        print(
            f"  {label:18s} RunPodSandbox {figures['run']:6.1f}   "
            f"Stop+Remove {figures['delete']:6.1f}"
        )
    ratios = {key: ms["podnet"][key] / ms["bridge"][key] for key in ("run", "delete")}
    print(
        f"  podnet / bridge+host-local: RunPodSandbox {ratios['run']:.2f}x, "
        f"Stop+Remove {ratios['delete']:.2f}x"
    )
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pods", type=int, default=20, help="measured pods per plugin (>= 20)")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--inside", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.inside:
        return inside(args)
    if args.pods < 20:  # fewer make a median that moves from run to run
        parser.error("--pods must be at least 20")
    options = ["--pods", str(args.pods), "--rounds", str(args.rounds)]
    return in_sandbox.rerun("/usr/bin/python3", __file__, options, timeout=1800)


if __name__ == "__main__":
    sys.exit(main())
