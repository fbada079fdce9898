"""Bridge, veth pair, addresses and routes, made by iproute2's `ip`, the tool the article uses.

Why `ip` and not pyroute2: the commands below are the very ones sections 2-4 of the article
type by hand, so the plugin reads as "section 4, automated"; `ip` behaves the same on Debian
12 and Ubuntu 24.04, where python3-pyroute2's API moved between 0.7 and 0.9; and start-up
time counts for a plugin that runs once per pod: importing pyroute2 costs more than the whole
ADD of the reference plugins. Each side of an ADD is one `ip -batch` run: one for the host,
one inside the pod's network namespace (`nsenter --net=PATH`, because `ip -n` only takes the
names under /run/netns, while CNI_NETNS is a path).
"""

from __future__ import annotations

import json
import os

from cni import runner
from cni.protocol import CniError, Code, JsonObject


class LinkError(runner.CommandFailed):
    """`ip` (or `nsenter`, on the pod's side) refused a command; the message is what it printed."""

    def __init__(self, argv: list[str], stderr: str) -> None:
        code = Code.ALREADY_EXISTS if "File exists" in stderr else Code.KERNEL_REFUSED
        super().__init__(argv, stderr, code)


def exists(name: str) -> bool:
    return os.path.exists(f"/sys/class/net/{name}")


def _run(argv: list[str], commands: list[str] | None = None) -> str:
    return runner.run(argv, commands, failure=LinkError)


def batch(commands: list[str], netns: str | None = None) -> list[list[JsonObject]]:
    """Run `ip` commands in one process; returns what each `show` command printed, in order
    (one JSON list per `show`; commands that change things print nothing)."""
    argv = ["ip", "-json", "-batch", "-"]
    if netns:
        argv = ["nsenter", f"--net={netns}", *argv]
    output = _run(argv, commands)
    decoder, position = json.JSONDecoder(), 0
    shown: list[list[JsonObject]] = []
    while position < len(output):
        if output[position].isspace():
            position += 1
            continue
        document, position = decoder.raw_decode(output, position)
        shown.append(document)
    return shown


def ensure_bridge(name: str, mtu: int | None) -> bool:
    """Create the bridge unless it exists; True if this call created it. Parallel ADDs may
    race to create it: losing that race is fine.

    The MAC address is set explicitly. Left alone, the kernel gives a bridge the lowest MAC of
    its ports and changes it when ports come and go: every pod would then hold a stale ARP
    entry for its gateway after the first pod leaves."""
    if exists(name):
        return False
    mac = bytearray(os.urandom(6))
    mac[0] = (mac[0] & 0xFE) | 0x02  # unicast, locally administered
    argv = ["ip", "link", "add", "name", name, "address", mac.hex(":")]
    argv += [*(["mtu", str(mtu)] if mtu else []), "type", "bridge"]
    try:
        _run(argv)
    except LinkError as error:
        if "File exists" not in error.stderr:
            raise
        return False
    return True


def delete(name: str) -> bool:
    """Delete a link if it exists; True if it did. Deleting one end of a veth pair deletes
    the other end, wherever it is."""
    try:
        _run(["ip", "link", "del", "dev", name])
    except LinkError as error:
        if "Cannot find device" in error.stderr or "does not exist" in error.stderr:
            return False
        raise
    return True


def bridge_ports(bridge: str) -> dict[str, str]:
    """Port name -> ifalias of every link enslaved to `bridge` (read from sysfs)."""
    ports: dict[str, str] = {}
    try:
        names = os.listdir(f"/sys/class/net/{bridge}/brif")
    except FileNotFoundError:
        return ports
    for name in names:
        try:
            with open(f"/sys/class/net/{name}/ifalias") as file:
                ports[name] = file.read().strip()
        except OSError:
            ports[name] = ""
    return ports


def enable_ip_forward() -> None:
    """A gateway bridge routes the pods' packets: the kernel must forward (a new network
    namespace starts with ip_forward=0, and so does a fresh Ubuntu VM)."""
    try:
        with open("/proc/sys/net/ipv4/ip_forward", "w") as file:
            file.write("1")
    except OSError as error:
        raise CniError(Code.KERNEL_REFUSED, "cannot enable IPv4 forwarding", str(error)) from None


def is_up(name: str) -> bool:
    """Administratively up (IFF_UP, bit 0 of the flags)."""
    try:
        with open(f"/sys/class/net/{name}/flags") as file:
            return bool(int(file.read(), 16) & 0x1)
    except OSError:
        return False
