"""ipMasq: one MASQUERADE rule per pod, tagged so DEL and GC find it without the pod.

The reference bridge plugin builds a `CNI-<hash>` chain per pod and, when DEL comes after the
pod's network namespace is gone, leaves that chain behind (FACTS: the masquerade leak). podnet
writes a single rule whose comment is the attachment's tag, `podnet/<network>/<id>/<ifname>`:
deleting it needs nothing but the comment, so it always goes away with the pod.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable

from cni import runner
from cni.attachment import Attachment

IPTABLES = ["iptables", "-w", "5", "-t", "nat"]


class FirewallError(runner.CommandFailed):
    """`iptables` refused to list, add or delete a rule; the details are what it printed."""


def add_masquerade(
    address: ipaddress.IPv4Address, subnet: ipaddress.IPv4Network, attachment: Attachment
) -> None:
    """Traffic from the pod to anywhere but its own subnet leaves with the node's address."""
    _iptables(
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
        attachment.tag,
        "-j",
        "MASQUERADE",
    )


def attachments() -> list[Attachment]:
    """The attachments podnet's rules are tagged with, in `iptables -S` order."""
    return [attachment for attachment, _ in _rules()]


def remove_masquerade(doomed: Callable[[Attachment], bool]) -> list[Attachment]:
    """Delete every podnet rule whose attachment `doomed` picks; returns those attachments.
    Each `iptables -S` line, without its `-A`, is exactly what `iptables -D` takes."""
    deleted = []
    for attachment, rule in _rules():
        if doomed(attachment):
            _iptables("-D", *rule)
            deleted.append(attachment)
    return deleted


def _rules() -> list[tuple[Attachment, list[str]]]:
    rules = []
    for line in _iptables("-S", "POSTROUTING").splitlines():
        # Tags hold no spaces (IDs and names cannot), so splitting on blanks is safe.
        words = [word.strip('"') for word in line.split()]
        if words[:2] == ["-A", "POSTROUTING"] and "--comment" in words:
            attachment = Attachment.recognise(words[words.index("--comment") + 1])
            if attachment is not None:
                rules.append((attachment, words[1:]))
    return rules


def _iptables(*args: str) -> str:
    return runner.run([*IPTABLES, *args], failure=FirewallError)
