"""The five CNI commands, each a short list of idempotent steps.

ADD builds what section 4 of the article built by hand: a bridge with the gateway address,
a veth pair with one end in the pod, the pod's address and routes. DEL, CHECK and GC find
everything again from the attachment alone, `(network, CNI_CONTAINERID, CNI_IFNAME)`: the
host veth's name is derived from it, the IPAM files and the masquerade rule carry it. That is
what lets DEL work after the pod's network namespace is gone.
"""

from __future__ import annotations

import ipaddress
import os

from cni import ipam, links, nat
from cni.attachment import Attachment
from cni.config import Config
from cni.protocol import CniError, Code, JsonObject, Request, log


# --8<-- [start:add]
def cmd_add(request: Request, conf: Config) -> JsonObject:
    ensure_netns(request.netns)
    store = ipam.FileStore(conf.data_dir, conf.name)
    attachment = attachment_of(conf, request)
    with store.lock():
        address = ipam.allocate(store, conf.range, request.container_id, request.ifname)
    created_bridge = False
    try:
        created_bridge = links.ensure_bridge(conf.bridge, conf.mtu)
        bridge, host = attach_host_side(conf, request, attachment)
        pod = configure_pod_side(conf, request, address)
        if conf.ip_masq:
            nat.add_masquerade(masquerade_rules(conf, address, attachment))
        if conf.is_gateway:
            links.enable_ip_forward()
    except Exception:
        # SPEC Section 3, "Lifecycle & Ordering": the runtime will DEL after a failed ADD, but
        # a failed ADD that leaves nothing behind needs no one to clean up after it.
        undo_add(conf, attachment, store, created_bridge)
        raise
    prefix = conf.range.subnet.prefixlen
    log(f"ADD {request.container_id}/{request.ifname}: {address}/{prefix} on {conf.bridge}")
    return add_result(conf, request, address, [bridge, host, pod])


# --8<-- [end:add]
# --8<-- [start:del]
def cmd_del(request: Request, conf: Config) -> None:
    # SPEC Section 2 "DEL": best effort, and a second DEL must succeed. Every step below
    # tolerates what is already gone, and none needs the pod's network namespace, which the
    # runtime may have deleted already.
    attachment = attachment_of(conf, request)
    if conf.ip_masq:
        nat.remove_masquerade(lambda found: found == attachment)
    links.delete(attachment.host_veth)  # takes the pod's end with it, if the pod still exists
    store = ipam.FileStore(conf.data_dir, conf.name)
    with store.lock():
        freed = ipam.release(store, request.container_id, request.ifname)
    log(f"DEL {request.container_id}/{request.ifname}: freed {', '.join(map(str, freed)) or '-'}")


# --8<-- [end:del]
def cmd_check(request: Request, conf: Config) -> None:
    """SPEC Section 2 "CHECK": compare the machine with prevResult, the result of ADD."""
    ensure_netns(request.netns)
    if not conf.prev_result:
        raise CniError(Code.INVALID_CONFIG, "CHECK needs prevResult", "pass ADD's result")
    expected = expected_address(conf.prev_result, request)
    store = ipam.FileStore(conf.data_dir, conf.name)
    problems: list[str] = []
    held = [
        f"{a}/{conf.range.subnet.prefixlen}"
        for a in ipam.find(store, request.container_id, request.ifname)
    ]
    if expected not in held:
        problems.append(f"IPAM holds {held or 'nothing'} for the attachment, not {expected}")
    attachment = attachment_of(conf, request)
    (host,) = links.batch(["addr show"])
    problems += check_host(conf, attachment.host_veth, {link["ifname"]: link for link in host})
    pod_addrs, pod_routes = links.batch(["addr show", "route show"], netns=request.netns)
    problems += check_pod(conf, request, expected, pod_addrs, pod_routes)
    if conf.ip_masq:
        problems += check_nat(conf, expected, attachment)
    if problems:
        raise CniError(Code.CHECK_FAILED, "attachment is not as ADD left it", "; ".join(problems))


def cmd_gc(request: Request, conf: Config) -> None:
    """SPEC Section 2 "GC": remove every attachment not in cni.dev/valid-attachments. Keep
    going after an error and report all of them at the end."""
    valid = conf.valid_attachments
    if valid is None:  # config.parse requires the list for GC: "missing" must never read as "none"
        raise CniError(Code.INVALID_CONFIG, "GC needs cni.dev/valid-attachments")
    errors = []
    store = ipam.FileStore(conf.data_dir, conf.name)
    with store.lock():
        for address, owner in store.reservations().items():
            if owner not in valid:
                store.release(address)
                log(f"GC {owner[0]}/{owner[1]}: freed {address}")

    def stale(found: Attachment | None) -> bool:
        """podnet's on this network, and not one the runtime still uses."""
        return (
            found is not None
            and found.network == conf.name
            and (found.container_id, found.ifname) not in valid
        )

    for port, port_alias in links.bridge_ports(conf.bridge).items():
        if stale(Attachment.recognise(port_alias)):
            try:
                links.delete(port)
            except CniError as error:
                errors.append(str(error))
    if conf.ip_masq:
        try:
            nat.remove_masquerade(stale)
        except CniError as error:
            errors.append(str(error))
    if errors:
        raise CniError(Code.KERNEL_REFUSED, "GC left some resources behind", "; ".join(errors))


def cmd_status(request: Request, conf: Config) -> None:
    """SPEC Section 2 "STATUS": succeed when an ADD would; 50 when it cannot, 51 when the
    pods already there have lost connectivity too."""
    store = ipam.FileStore(conf.data_dir, conf.name)
    if ipam.free_count(store, conf.range) == 0:
        raise CniError(
            Code.NOT_AVAILABLE,
            "no free IP address",
            f"every address of {conf.range.subnet} is taken",
        )
    writable = store.dir if os.path.isdir(store.dir) else conf.data_dir
    while not os.path.isdir(writable):
        writable = os.path.dirname(writable)
    if not os.access(writable, os.W_OK):
        raise CniError(Code.NOT_AVAILABLE, "cannot write the IPAM store", writable)
    if links.exists(conf.bridge) and not links.is_up(conf.bridge):
        raise CniError(
            Code.LIMITED_CONNECTIVITY, f"bridge {conf.bridge} is down", "its pods are cut off"
        )


# ---- steps of ADD ---------------------------------------------------------------------


def ensure_netns(path: str) -> None:
    """CNI_NETNS must be a network namespace, and not the plugin's own."""
    try:
        target = os.stat(path)
    except OSError:
        raise CniError(
            Code.UNKNOWN_CONTAINER,
            "container unknown or does not exist",
            f"CNI_NETNS={path}: no such network namespace",
        ) from None
    own = os.stat("/proc/self/ns/net")
    if (target.st_dev, target.st_ino) == (own.st_dev, own.st_ino):
        raise CniError(
            Code.INVALID_ENVIRONMENT,
            "invalid CNI_NETNS",
            f"CNI_NETNS={path} is the plugin's own network namespace, not a pod's",
        )


# --8<-- [start:sides]
def attach_host_side(
    conf: Config, request: Request, attachment: Attachment
) -> tuple[JsonObject, JsonObject]:
    """Gateway address on the bridge, the veth pair with its pod end moved into the pod."""
    gateway = f"{conf.range.gateway}/{conf.range.subnet.prefixlen}"
    mtu = f" mtu {conf.mtu}" if conf.mtu else ""  # both ends: the pod's TCP MSS comes from eth0
    veth = attachment.host_veth
    pod_end = f"peer name {request.ifname}{mtu} netns {request.netns}"
    shown = links.batch(
        [
            *([f"addr replace {gateway} dev {conf.bridge}"] if conf.is_gateway else []),
            f"link set dev {conf.bridge} up",
            f"link add name {veth}{mtu} type veth {pod_end}",
            f"link set dev {veth} alias {attachment.tag}",
            f"link set dev {veth} master {conf.bridge} up",
            f"link show dev {conf.bridge}",
            f"link show dev {veth}",
        ]
    )
    bridge, host = shown[-2][0], shown[-1][0]
    return bridge, host


def configure_pod_side(
    conf: Config, request: Request, address: ipaddress.IPv4Address
) -> JsonObject:
    """Inside the pod: the address, the link up, the routes via the gateway."""
    ifname = request.ifname
    routes = [
        f"route add {route.dst} via {route.gw or conf.range.gateway} dev {ifname}"
        for route in conf.routes
    ]
    shown = links.batch(
        [
            f"addr add {address}/{conf.range.subnet.prefixlen} dev {ifname}",
            f"link set dev {ifname} up",
            *routes,
            f"link show dev {ifname}",
        ],
        netns=request.netns,
    )
    return shown[-1][0]


# --8<-- [end:sides]
def undo_add(
    conf: Config, attachment: Attachment, store: ipam.FileStore, created_bridge: bool
) -> None:
    """Take back a half-done ADD, step by step, each step best effort."""
    for step in (
        lambda: conf.ip_masq and nat.remove_masquerade(lambda found: found == attachment),
        lambda: links.delete(attachment.host_veth),
        lambda: (
            created_bridge and not links.bridge_ports(conf.bridge) and links.delete(conf.bridge)
        ),
    ):
        try:
            step()
        except CniError as error:
            log(f"ADD rollback: {error}")
    with store.lock():
        ipam.release(store, attachment.container_id, attachment.ifname)


def add_result(
    conf: Config, request: Request, address: ipaddress.IPv4Address, shown: list[JsonObject]
) -> JsonObject:
    """SPEC Section 5 "ADD Success", in the reference bridge plugin's order: bridge, host
    veth, pod interface (as `ip -json link show` printed them); the IP is the pod's."""
    bridge, host, pod = shown
    interfaces = [
        {"name": bridge["ifname"], "mac": bridge["address"]},
        {"name": host["ifname"], "mac": host["address"]},
        {"name": pod["ifname"], "mac": pod["address"], "sandbox": request.netns},
    ]
    prev = conf.prev_result or {}
    # SPEC Section 2 "ADD": a prevResult must be passed on, with our additions; the pod's
    # interface is the third of ours, after prevResult's.
    ips = [
        {
            "interface": len(prev.get("interfaces", [])) + 2,
            "address": f"{address}/{conf.range.subnet.prefixlen}",
            "gateway": str(conf.range.gateway),
        }
    ]
    routes = [
        {"dst": str(route.dst), **({"gw": str(route.gw)} if route.gw else {})}
        for route in conf.routes
    ]
    return {
        "cniVersion": conf.cni_version,
        "interfaces": [*prev.get("interfaces", []), *interfaces],
        "ips": [*prev.get("ips", []), *ips],
        "routes": [*prev.get("routes", []), *routes],
        "dns": prev.get("dns", {}),
    }


# ---- CHECK's comparisons --------------------------------------------------------------


def expected_address(prev: JsonObject, request: Request) -> str:
    """The address prevResult gave to the pod's interface."""
    interfaces = prev.get("interfaces", [])
    for ip in prev.get("ips", []):
        index = ip.get("interface")
        if isinstance(index, int) and 0 <= index < len(interfaces):
            interface = interfaces[index]
            address = ip.get("address")
            pod_side = interface.get("name") == request.ifname and interface.get("sandbox")
            if pod_side and isinstance(address, str):
                return address
    raise CniError(
        Code.INVALID_CONFIG,
        "prevResult has no address for the pod interface",
        f"no ips[] entry points at {request.ifname} in the sandbox",
    )


def check_host(conf: Config, veth: str, host: dict[str, JsonObject]) -> list[str]:
    problems = []
    bridge = host.get(conf.bridge)
    if bridge is None:
        return [f"bridge {conf.bridge} is missing"]
    if "UP" not in bridge.get("flags", []):
        problems.append(f"bridge {conf.bridge} is down")
    gateway = (str(conf.range.gateway), conf.range.subnet.prefixlen)
    if conf.is_gateway and gateway not in _addresses(bridge):
        problems.append(f"bridge {conf.bridge} lacks the gateway {gateway[0]}/{gateway[1]}")
    port = host.get(veth)
    if port is None:
        problems.append(f"host veth {veth} is missing")
    elif port.get("master") != conf.bridge:
        problems.append(f"host veth {veth} is not a port of {conf.bridge}")
    return problems


def check_pod(
    conf: Config,
    request: Request,
    expected: str,
    addrs: list[JsonObject],
    routes: list[JsonObject],
) -> list[str]:
    ifname = request.ifname
    link = next((link for link in addrs if link.get("ifname") == ifname), None)
    if link is None:
        return [f"{ifname} is missing in {request.netns}"]
    problems = []
    if "UP" not in link.get("flags", []):
        problems.append(f"{ifname} is down")
    address, _, prefix = expected.partition("/")
    if (address, int(prefix or 32)) not in _addresses(link):
        problems.append(f"{ifname} lacks {expected}")
    present = {(r.get("dst"), r.get("gateway"), r.get("dev")) for r in routes}
    for route in conf.routes:
        dst = "default" if route.dst.prefixlen == 0 else str(route.dst)
        want = (dst, str(route.gw or conf.range.gateway), ifname)
        if want not in present:
            problems.append(f"route {route.dst} via {want[1]} is missing")
    return problems


def check_nat(conf: Config, expected: str, attachment: Attachment) -> list[str]:
    address = ipaddress.IPv4Address(expected.partition("/")[0])
    present = nat.rules_of(attachment)
    missing = [rule for rule in masquerade_rules(conf, address, attachment) if rule not in present]
    return [
        "the masquerade rule is missing"
        if rule[-1] == "MASQUERADE"
        else f"the RETURN rule for {rule[rule.index('-d') + 1]} is missing"
        for rule in missing
    ]


def masquerade_rules(
    conf: Config, address: ipaddress.IPv4Address, attachment: Attachment
) -> list[list[str]]:
    return nat.masquerade_rules(address, conf.range.subnet, conf.non_masquerade, attachment)


def _addresses(link: JsonObject) -> set[tuple[str, int]]:
    return {(a.get("local"), a.get("prefixlen")) for a in link.get("addr_info", [])}


def attachment_of(conf: Config, request: Request) -> Attachment:
    return Attachment(conf.name, request.container_id, request.ifname)
