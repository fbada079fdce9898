"""A throwaway node for plugin tests: one lab sandbox, and the runtime's side of CNI.

Every network change a test makes happens inside the sandbox's own namespaces (lab/labrun
sandbox), and disappears with it.
"""

from __future__ import annotations

import json
import shlex
from dataclasses import dataclass
from pathlib import Path

from labrun import sandbox
from labrun.sandbox import SYSTEM_PATH
from testkit.paths import LAB_DIR

PODNET = LAB_DIR / "cni" / "podnet"
REFERENCE_DIR = Path("/usr/lib/cni")
REFERENCE = REFERENCE_DIR / "bridge"
HARNESS = Path(__file__).resolve().parent / "cnirun.py"
DATA_DIR = "/run/cni/networks"


def network(plugin_type: str = "podnet", version: str = "1.1.0", **overrides) -> dict:
    """The article's network configuration: bridge cni0, one /24, host-local IPAM."""
    ipam = {
        "type": "host-local",
        "subnet": "10.244.1.0/24",
        "routes": [{"dst": "0.0.0.0/0"}],
        "dataDir": DATA_DIR,
    }
    ipam.update(overrides.pop("ipam", {}))
    conf = {
        "cniVersion": version,
        "name": "k8s-pod-network",
        "type": plugin_type,
        "bridge": "cni0",
        "isGateway": True,
        "ipMasq": False,
        "ipam": ipam,
    }
    conf.update(overrides)
    return conf


@dataclass
class Outcome:
    status: int
    stdout: str
    stderr: str

    @property
    def json(self) -> dict:
        return json.loads(self.stdout)

    @property
    def code(self) -> int:
        assert self.status != 0, f"expected a failure, got {self.stdout}"
        return self.json["code"]


class Node:
    """A sandbox seen as a Kubernetes node: shell commands and CNI calls."""

    def __init__(self, box: sandbox.Sandbox) -> None:
        self.box = box

    def sh(self, command: str, timeout: float = 30) -> str:
        result = self.box.run(command, timeout)
        assert result.status == 0, f"{command!r} failed ({result.status}): {result.output}"
        return result.output

    def json(self, command: str) -> list | dict:
        return json.loads(self.sh(command))

    def pod(self, name: str) -> str:
        """A pod's network namespace, as the runtime creates it; returns its path."""
        self.sh(f"ip netns add {shlex.quote(name)}")
        return f"/run/netns/{name}"

    def cni(
        self,
        command: str,
        conf: dict | str,
        *,
        plugin: Path = PODNET,
        container: str = "c1",
        netns: str = "/run/netns/pod1",
        ifname: str = "eth0",
        env: dict | None = None,
        drop: tuple[str, ...] = (),
    ) -> Outcome:
        """Run `plugin` with the CNI environment; `env` adds or overrides, `drop` removes."""
        variables = {
            "PATH": SYSTEM_PATH,
            "CNI_COMMAND": command,
            "CNI_CONTAINERID": container,
            "CNI_NETNS": netns,
            "CNI_IFNAME": ifname,
            "CNI_PATH": str(REFERENCE_DIR),
            **(env or {}),
        }
        for name in drop:
            variables.pop(name, None)
        stdin = conf if isinstance(conf, str) else json.dumps(conf)
        request = json.dumps({"env": variables, "stdin": stdin})
        output = self.sh(
            f"python3 {HARNESS} {shlex.quote(str(plugin))} <<'REQUEST'\n{request}\nREQUEST"
        )
        return Outcome(**json.loads(output))

    def add(self, conf: dict, **kwargs) -> dict:
        outcome = self.cni("ADD", conf, **kwargs)
        assert outcome.status == 0, outcome
        return outcome.json

    def state(self) -> dict:
        """What a plugin may change: links, addresses, routes, namespaces, IPAM, NAT."""
        links = self.json("ip -json addr show")
        netns = self.sh("ls /run/netns 2>/dev/null || true").split()
        return {
            "links": sorted((link["ifname"], link.get("master"), _addrs(link)) for link in links),
            "pods": {
                name: {
                    "addrs": sorted(
                        (link["ifname"], _addrs(link))
                        for link in self.json(f"ip -n {name} -json addr show")
                    ),
                    "routes": self.json(f"ip -n {name} -json route show"),
                }
                for name in netns
            },
            "ipam": self.reservations(),
            "nat": self.sh("iptables -t nat -S"),
        }

    def reservations(self, network: str = "k8s-pod-network") -> dict[str, str]:
        """IP file -> exact content, in host-local's directory layout."""
        return self.json(f"python3 {HARNESS.parent / 'reservations.py'} {DATA_DIR}/{network}")


def _addrs(link: dict) -> tuple:
    return tuple(
        sorted(
            f"{a['local']}/{a['prefixlen']}"
            for a in link.get("addr_info", [])
            if a["family"] == "inet"
        )
    )
