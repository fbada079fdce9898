#!/usr/bin/env python3
"""CNI figures (a script, not a test): podnet against the reference bridge + host-local.

.venv/bin/python tools/bench/bench_cni.py [--pods 60] [--node-pods 110]

Everything runs inside one lab sandbox (its own network namespace): the script re-runs
itself there with --inside. Same configuration for both plugins (ipMasq off), each on its
own bridge and range, ADDs interleaved pod by pod so machine load hits both alike. podnet is
measured as a runtime would run it, installed (copied and byte-compiled, like a package's
/usr/lib/cni), and also straight from the read-only lab/ (no bytecode cache).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

import in_sandbox  # tools/bench/, beside this script

from labrun.sandbox import SYSTEM_PATH
from testkit.paths import LAB_DIR

REFERENCE = "/usr/lib/cni/bridge"
INSTALL_DIR = Path("/tmp/opt/cni")
DATA_DIR = "/run/cni/bench"


def conf(plugin_type: str, bridge: str, subnet: str, version: str) -> bytes:
    return json.dumps(
        {
            "cniVersion": version,
            "name": f"bench-{bridge}",
            "type": plugin_type,
            "bridge": bridge,
            "isGateway": True,
            "ipMasq": False,
            "ipam": {
                "type": "host-local",
                "subnet": subnet,
                "routes": [{"dst": "0.0.0.0/0"}],
                "dataDir": DATA_DIR,
            },
        }
    ).encode()


class Plugin:
    def __init__(self, label: str, executable: str, config: bytes) -> None:
        self.label, self.executable, self.config = label, executable, config

    def call(self, command: str, container: str, netns: str) -> tuple[float, bytes]:
        env = {
            "PATH": SYSTEM_PATH,
            "CNI_COMMAND": command,
            "CNI_CONTAINERID": container,
            "CNI_NETNS": netns,
            "CNI_IFNAME": "eth0",
            "CNI_PATH": "/usr/lib/cni",
        }
        started = time.perf_counter()
        done = subprocess.run(
            [self.executable],
            input=self.config,
            env=env,
            capture_output=True,
            check=False,
            timeout=30,
        )
        elapsed = time.perf_counter() - started
        if done.returncode != 0:
            raise SystemExit(f"{self.label} {command} {container} failed: {done.stdout!r}")
        return elapsed, done.stdout


def sh(*argv: str) -> str:
    return subprocess.run(argv, capture_output=True, text=True, check=True, timeout=30).stdout


def install_podnet() -> str:
    """Copy the plugin out of the read-only lab/ and byte-compile it, as a package would."""
    target = INSTALL_DIR / "cni"
    shutil.copytree(LAB_DIR / "cni", target, ignore=shutil.ignore_patterns("__pycache__"))
    subprocess.run(
        ["/usr/bin/python3", "-m", "compileall", "-q", str(target)], check=True, timeout=60
    )
    return str(target / "podnet")


def latency(plugins: list[Plugin], pods: int) -> dict[str, dict[str, list[float]]]:
    """ADD then DEL `pods` pods per plugin, interleaved; seconds per call."""
    times = {p.label: {"ADD": [], "DEL": []} for p in plugins}
    for index in range(pods + 3):  # the first three warm caches and create the bridges
        for plugin in plugins:
            netns = f"{plugin.label}-{index}"
            sh("ip", "netns", "add", netns)
            elapsed, _ = plugin.call("ADD", f"c{index}", f"/run/netns/{netns}")
            if index >= 3:
                times[plugin.label]["ADD"].append(elapsed)
    for index in range(pods + 3):
        for plugin in plugins:
            netns = f"{plugin.label}-{index}"
            elapsed, _ = plugin.call("DEL", f"c{index}", f"/run/netns/{netns}")
            if index >= 3:
                times[plugin.label]["DEL"].append(elapsed)
            sh("ip", "netns", "del", netns)
    return times


def full_node(plugin: Plugin, pods: int) -> str:
    """`pods` pods ADDed then DELeted on one bridge: total time and what is left."""
    for index in range(pods):
        sh("ip", "netns", "add", f"node{index}")
    started = time.perf_counter()
    addresses = []
    for index in range(pods):
        _, out = plugin.call("ADD", f"n{index}", f"/run/netns/node{index}")
        addresses.append(json.loads(out)["ips"][0]["address"])
    added = time.perf_counter() - started
    ports = len(json.loads(sh("ip", "-json", "link", "show", "master", plugin.bridge)))
    for index in range(pods):
        plugin.call("DEL", f"n{index}", f"/run/netns/node{index}")
    total = time.perf_counter() - started
    left_ports = json.loads(sh("ip", "-json", "link", "show", "master", plugin.bridge))
    store = Path(DATA_DIR) / f"bench-{plugin.bridge}"
    left_ips = [name for name in os.listdir(store) if name[0].isdigit() and "." in name]
    left_rules = [r for r in sh("iptables", "-t", "nat", "-S").splitlines() if "-A " in r]
    for index in range(pods):
        sh("ip", "netns", "del", f"node{index}")
    return (
        f"{plugin.label}: {pods} pods ADD {added:.2f} s, ADD+DEL {total:.2f} s; "
        f"{len(set(addresses))}/{pods} unique IPs, {ports} bridge ports while up; "
        f"left over: {len(left_ports)} ports, {len(left_ips)} IP files, {len(left_rules)} NAT rules"
    )


def inside(args: argparse.Namespace) -> int:
    sh("ip", "link", "set", "lo", "up")
    installed = install_podnet()
    plugins = [
        Plugin("reference", REFERENCE, conf("bridge", "cni0", "10.244.1.0/24", "1.0.0")),
        Plugin("podnet", installed, conf("podnet", "cni1", "10.244.2.0/24", "1.0.0")),
        Plugin(
            "podnet-lab",
            str(LAB_DIR / "cni" / "podnet"),
            conf("podnet", "cni2", "10.244.3.0/24", "1.0.0"),
        ),
    ]
    for plugin, bridge in zip(plugins, ("cni0", "cni1", "cni2"), strict=True):
        plugin.bridge = bridge
    times = latency(plugins, args.pods)
    ms = {
        label: {cmd: statistics.median(v) * 1000 for cmd, v in d.items()}
        for label, d in times.items()
    }
    print(f"median latency over {args.pods} pods (ms), same config, ipMasq off:")
    for label, medians in ms.items():
        print(f"  {label:11s} ADD {medians['ADD']:6.1f}   DEL {medians['DEL']:6.1f}")
    ref = ms["reference"]
    for label in ("podnet", "podnet-lab"):
        print(
            f"  {label} / reference: ADD {ms[label]['ADD'] / ref['ADD']:.2f}x, "
            f"DEL {ms[label]['DEL'] / ref['DEL']:.2f}x (target: ADD <= 1.5x)"
        )
    print(full_node(plugins[1], args.node_pods))
    print(full_node(plugins[0], args.node_pods))
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pods", type=int, default=60)
    parser.add_argument("--node-pods", type=int, default=110)
    parser.add_argument("--inside", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.inside:
        return inside(args)
    options = ["--pods", str(args.pods), "--node-pods", str(args.node_pods)]
    return in_sandbox.rerun(sys.executable, __file__, options, timeout=1200)


if __name__ == "__main__":
    sys.exit(main())
