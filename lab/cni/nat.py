"""ipMasq: one MASQUERADE rule per pod, tagged so DEL and GC find it without the pod.

The reference bridge plugin builds a `CNI-<hash>` chain per pod and, when DEL comes after the
pod's network namespace is gone, leaves that chain behind (FACTS: the masquerade leak). podnet
writes a single rule whose comment names the attachment, `podnet/<network>/<id>/<ifname>`:
deleting it needs nothing but the comment, so it always goes away with the pod.
"""

from __future__ import annotations

import ipaddress

from cni.links import run

IPTABLES = ["iptables", "-w", "5", "-t", "nat"]


def comment(network: str, container_id: str, ifname: str) -> str:
    return f"podnet/{network}/{container_id}/{ifname}"


def add_masquerade(address: ipaddress.IPv4Address, subnet: ipaddress.IPv4Network, tag: str) -> None:
    """Traffic from the pod to anywhere but its own subnet leaves with the node's address."""
    run(
        [
            *IPTABLES,
            "-A",
            "POSTROUTING",
            "-s",
            f"{address}/32",
            "!",
            "-d",
            str(subnet),
            "-m",
            "comment",
            "--comment",
            tag,
            "-j",
            "MASQUERADE",
        ]
    )


def tags() -> list[str]:
    """The tags of podnet's rules, as `iptables -S` lists them."""
    return [tag for tag, _ in _rules()]


def remove_masquerade(doomed) -> list[str]:
    """Delete every podnet rule whose tag `doomed(tag)` is true; returns the deleted tags.
    Each `iptables -S` line, without its `-A`, is exactly what `iptables -D` takes."""
    deleted = []
    for tag, rule in _rules():
        if doomed(tag):
            run([*IPTABLES, "-D", *rule])
            deleted.append(tag)
    return deleted


def _rules() -> list[tuple[str, list[str]]]:
    rules = []
    for line in run([*IPTABLES, "-S", "POSTROUTING"]).splitlines():
        # Tags hold no spaces (IDs and names cannot), so splitting on blanks is safe.
        words = [word.strip('"') for word in line.split()]
        if words[:2] == ["-A", "POSTROUTING"] and "--comment" in words:
            tag = words[words.index("--comment") + 1]
            if tag.startswith("podnet/"):
                rules.append((tag, words[1:]))
    return rules
