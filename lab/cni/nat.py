"""ipMasq: per pod, a RETURN for each range that keeps its address, then a MASQUERADE.

All of a pod's rules are tagged, so DEL and GC find them without the pod.

The reference bridge plugin builds a `CNI-<hash>` chain per pod and, when DEL comes after the
pod's network namespace is gone, leaves that chain behind (FACTS: the masquerade leak). podnet
writes plain rules whose comment is the attachment's tag, `podnet/<network>/<id>/<ifname>`:
deleting them needs nothing but the comment, so they always go away with the pod.

The MASQUERADE rule spares only the node's own range; traffic to pods on other nodes would
leave with the node's address, which breaks Kubernetes' "pods reach pods without NAT". The
RETURN rules for `nonMasqueradeCIDRs` (the cluster's pod range) come first and stop it.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable

from cni import runner
from cni.attachment import Attachment

IPTABLES = ["iptables", "-w", "5", "-t", "nat"]
# One iptables-restore adds all of a pod's rules in one transaction: all or none, and one turn
# at the xtables lock instead of one per rule when many ADDs run at once.
IPTABLES_RESTORE = ["iptables-restore", "-w", "5", "--noflush"]


class FirewallError(runner.CommandFailed):
    """`iptables` refused to list, add or delete a rule; the details are what it printed."""


def masquerade_rules(
    address: ipaddress.IPv4Address,
    subnet: ipaddress.IPv4Network,
    non_masquerade: list[ipaddress.IPv4Network],
    attachment: Attachment,
) -> list[list[str]]:
    """The pod's POSTROUTING rules in order, as `iptables -S` prints them after `-A`: a RETURN
    for each range that keeps the pod's address, then the MASQUERADE for everything else off
    the pod's subnet."""
    source = ["-s", f"{address}/32"]
    tag = ["-m", "comment", "--comment", attachment.tag]
    returns = [
        ["POSTROUTING", *source, "-d", str(network), *tag, "-j", "RETURN"]
        for network in non_masquerade
    ]
    return [*returns, ["POSTROUTING", *source, "!", "-d", str(subnet), *tag, "-j", "MASQUERADE"]]


def add_masquerade(rules: list[list[str]]) -> None:
    """Append the rules of `masquerade_rules` to the nat table, in one transaction. Tags hold
    no spaces (IDs and names cannot), so each rule is its words joined by blanks."""
    lines = ["*nat", *(" ".join(["-A", *rule]) for rule in rules), "COMMIT"]
    runner.run(IPTABLES_RESTORE, lines, failure=FirewallError)


def rules_of(attachment: Attachment) -> list[list[str]]:
    """The rules tagged with `attachment`, in `iptables -S` order, without their `-A`."""
    return [rule for found, rule in _rules() if found == attachment]


def remove_masquerade(doomed: Callable[[Attachment], bool]) -> list[Attachment]:
    """Delete every podnet rule (RETURN and MASQUERADE) whose attachment `doomed` picks;
    returns their attachments, one per rule. Each `iptables -S` line, without its `-A`, is
    exactly what `iptables -D` takes."""
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
