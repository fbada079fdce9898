"""The network configuration, parsed and validated once, before anything is touched.

podnet reads the same configuration as the reference `bridge` plugin with `host-local` IPAM
(one IPv4 range), so the article can run one file through both. Every check happens here:
a command only starts changing the machine with a `Config` that is known to be good.

Errors follow SPEC Section 5: a value of the wrong type or out of range is an invalid
configuration (7); a field podnet knows about but does not implement is an unsupported field
(2, and the message names the key and the value, as the spec asks).
"""

from __future__ import annotations

import ipaddress
import json
from typing import Any, Literal, NamedTuple, NoReturn, TypeVar, overload

from cni.protocol import ID_PATTERN, CniError, Code, JsonObject, check_ifname

DEFAULT_DATA_DIR = "/var/lib/cni/networks"  # host-local's default

# Options of the reference bridge plugin that podnet does not implement: refusing them beats
# silently building something else than the administrator asked for.
UNSUPPORTED_WHEN_SET = (
    "vlan",
    "vlanTrunk",
    "preserveDefaultVlan",
    "hairpinMode",
    "promiscMode",
    "macspoofchk",
    "enabledad",
    "forceAddress",
    "portIsolation",
    "disableContainerInterface",
)


class Range(NamedTuple):
    """One IPv4 range: addresses from `start` to `end` in `subnet`; `gateway` is never handed
    out (host-local's defaults: the gateway is .1, the range is .1 to broadcast - 1)."""

    subnet: ipaddress.IPv4Network
    start: ipaddress.IPv4Address
    end: ipaddress.IPv4Address
    gateway: ipaddress.IPv4Address

    def __contains__(self, address: object) -> bool:
        return isinstance(address, ipaddress.IPv4Address) and self.start <= address <= self.end


class Route(NamedTuple):
    """A route for the pod; `gw` None means "via the range's gateway"."""

    dst: ipaddress.IPv4Network
    gw: ipaddress.IPv4Address | None


class Config(NamedTuple):
    """A validated network configuration (the fields of bridge + host-local podnet uses)."""

    cni_version: str
    name: str
    bridge: str
    is_gateway: bool
    is_default_gateway: bool
    ip_masq: bool
    mtu: int | None
    # ipMasq leaves traffic to these ranges alone (the cluster's pod range): pods on other nodes
    # see the pod's own address, as Kubernetes' network model requires.
    non_masquerade: list[ipaddress.IPv4Network]
    range: Range
    routes: list[Route]
    data_dir: str
    prev_result: JsonObject | None
    # GC only: the (CNI_CONTAINERID, CNI_IFNAME) pairs that must survive.
    valid_attachments: set[tuple[str, str]] | None


def parse(raw: JsonObject, command: str) -> Config:
    """Check every field podnet uses; raise CniError on the first bad one."""
    for key in UNSUPPORTED_WHEN_SET:
        if raw.get(key) not in (None, False, 0, ""):
            _unsupported(key, raw[key])
    name = _field(raw, "name", str, required=True)
    if not ID_PATTERN.fullmatch(name):
        _invalid(f"name {name!r} must start with a letter or digit, then [a-zA-Z0-9_.-]")
    _field(raw, "type", str, required=True)
    bridge = _field(raw, "bridge", str, "cni0")
    check_ifname("bridge name", bridge, Code.INVALID_CONFIG)
    is_default_gateway = _field(raw, "isDefaultGateway", bool, False)
    mtu = _field(raw, "mtu", int, None)
    if mtu is not None and not 68 <= mtu <= 65535:  # IPv4 minimum, u16 maximum
        _invalid(f"mtu {mtu} is outside 68..65535")
    ipam = _field(raw, "ipam", dict, required=True)
    ipam_type = _field(ipam, "type", str, required=True, where="ipam.")
    if ipam_type != "host-local":
        _unsupported("ipam.type", ipam_type, "podnet has host-local IPAM built in")
    address_range = _parse_range(ipam)
    routes = [_parse_route(route) for route in _field(ipam, "routes", list, [], where="ipam.")]
    if is_default_gateway and not any(r.dst.prefixlen == 0 for r in routes):
        routes.append(Route(ipaddress.IPv4Network("0.0.0.0/0"), None))
    data_dir = _field(ipam, "dataDir", str, DEFAULT_DATA_DIR, where="ipam.")
    if not data_dir.startswith("/"):
        _invalid(f"ipam.dataDir {data_dir!r} must be an absolute path")
    prev_result = _field(raw, "prevResult", dict, None)
    valid = None
    if command == "GC":
        valid = _parse_valid_attachments(raw)
    return Config(
        cni_version=raw["cniVersion"],
        name=name,
        bridge=bridge,
        # isDefaultGateway implies isGateway, as in the reference bridge plugin.
        is_gateway=_field(raw, "isGateway", bool, False) or is_default_gateway,
        is_default_gateway=is_default_gateway,
        ip_masq=_field(raw, "ipMasq", bool, False),
        mtu=mtu,
        non_masquerade=_parse_non_masquerade(raw),
        range=address_range,
        routes=routes,
        data_dir=data_dir,
        prev_result=prev_result,
        valid_attachments=valid,
    )


def _parse_range(ipam: JsonObject) -> Range:
    """`subnet` (+ rangeStart, rangeEnd, gateway), or host-local's `ranges` with one range."""
    if ipam.get("ranges") is not None:
        ranges = _field(ipam, "ranges", list, required=True, where="ipam.")
        if len(ranges) != 1 or not isinstance(ranges[0], list) or len(ranges[0]) != 1:
            _unsupported("ipam.ranges", ranges, "podnet allocates from exactly one range")
        spec: object = ranges[0][0]
        if not isinstance(spec, dict):
            _invalid("ipam.ranges[0][0] must be an object")
        where = "ipam.ranges[0][0]."
    else:
        spec, where = ipam, "ipam."
    text = _field(spec, "subnet", str, required=True, where=where)
    try:
        subnet = ipaddress.ip_network(text, strict=False)
    except ValueError as error:
        _invalid(f"{where}subnet {text!r} is not a CIDR: {error}")
    if not isinstance(subnet, ipaddress.IPv4Network):
        _unsupported(f"{where}subnet", text, "podnet allocates IPv4 only")
    if subnet.prefixlen > 30:  # a /31 or /32 has no usable host address
        _invalid(f"network {subnet} too small to allocate from")
    first, last = subnet.network_address + 1, subnet.broadcast_address - 1
    gateway = _address(spec, "gateway", first, subnet, where)
    start = _address(spec, "rangeStart", first, subnet, where)
    end = _address(spec, "rangeEnd", last, subnet, where)
    if start > end:
        _invalid(f"{where}rangeStart {start} is after rangeEnd {end}")
    if start == end == gateway:
        _invalid(f"{where}range {start}-{end} holds only the gateway: nothing to allocate")
    return Range(subnet, start, end, gateway)


def _address(
    spec: JsonObject,
    key: str,
    default: ipaddress.IPv4Address,
    subnet: ipaddress.IPv4Network,
    where: str,
) -> ipaddress.IPv4Address:
    text = _field(spec, key, str, None, where=where)
    if text is None:
        return default
    try:
        address = ipaddress.IPv4Address(text)
    except ValueError:
        _invalid(f"{where}{key} {text!r} is not an IPv4 address")
    if address not in subnet or address in (subnet.network_address, subnet.broadcast_address):
        _invalid(f"{where}{key} {address} is not a host address of {subnet}")
    return address


def _parse_route(route: object) -> Route:
    if not isinstance(route, dict):
        _invalid(f"ipam.routes: {json.dumps(route)} must be an object")
    dst_text = _field(route, "dst", str, required=True, where="ipam.routes[].")
    gw_text = _field(route, "gw", str, None, where="ipam.routes[].")
    try:
        dst = ipaddress.IPv4Network(dst_text, strict=False)
        gw = ipaddress.IPv4Address(gw_text) if gw_text is not None else None
    except ValueError as error:
        _invalid(f"ipam.routes: {json.dumps(route)}: {error}")
    return Route(dst, gw)


def _parse_non_masquerade(raw: JsonObject) -> list[ipaddress.IPv4Network]:
    """`nonMasqueradeCIDRs` (the name ip-masq-agent gives the same list): IPv4 networks, each
    written exactly (no host bits), none twice. An empty list is refused rather than read as
    "masquerade everything": that is the trap the field exists to avoid, and an empty list is
    more likely a template that rendered nothing than a choice."""
    key = "nonMasqueradeCIDRs"
    entries = _field(raw, key, list, [])
    if key in raw and not entries:
        _invalid(f"{key} is empty: list the cluster's pod range (for example 10.244.0.0/16)")
    networks: list[ipaddress.IPv4Network] = []
    for index, entry in enumerate(entries):
        where = f"{key}[{index}]"
        if not isinstance(entry, str):
            _invalid(f'{where} must be a string such as "10.244.0.0/16", got {json.dumps(entry)}')
        try:
            network = ipaddress.ip_network(entry)
        except ValueError as error:
            _invalid(f"{where} {entry!r} is not a CIDR: {error}")
        if not isinstance(network, ipaddress.IPv4Network):
            _invalid(f"{where} {entry!r} is IPv6: podnet's pods and rules are IPv4 only")
        if network in networks:
            _invalid(f"{where} {entry!r} is listed twice")
        networks.append(network)
    return networks


def _parse_valid_attachments(raw: JsonObject) -> set[tuple[str, str]]:
    """SPEC "GC": the attachments that must survive. Missing is an error, not "none":
    reading it as an empty list would delete every pod's network."""
    key = "cni.dev/valid-attachments"
    entries = _field(raw, key, list, required=True)
    valid: set[tuple[str, str]] = set()
    for entry in entries:
        if not isinstance(entry, dict) or not all(
            isinstance(entry.get(k), str) for k in ("containerID", "ifname")
        ):
            _invalid(f"{key}: {json.dumps(entry)} needs string containerID and ifname")
        valid.add((entry["containerID"], entry["ifname"]))
    return valid


_TYPE_NAMES: dict[type, str] = {
    str: "a string",
    bool: "true or false",
    int: "an integer",
    list: "a list",
    dict: "an object",
}


T = TypeVar("T")
D = TypeVar("D")


@overload
def _field(
    obj: JsonObject, key: str, kind: type[T], *, required: Literal[True], where: str = ""
) -> T: ...
@overload
def _field(obj: JsonObject, key: str, kind: type[T], default: D, *, where: str = "") -> T | D: ...
def _field(
    obj: JsonObject,
    key: str,
    kind: type[Any],
    default: object = None,
    *,
    required: bool = False,
    where: str = "",
) -> Any:
    """obj[key] if it has the JSON type `kind`; bool is not an int, as in JSON."""
    if key not in obj or obj[key] is None:
        if required:
            _invalid(f"{where}{key} is missing")
        return default
    value = obj[key]
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        _invalid(f"{where}{key} must be {_TYPE_NAMES[kind]}, got {json.dumps(value)}")
    return value


def _invalid(details: str) -> NoReturn:
    raise CniError(Code.INVALID_CONFIG, "invalid network configuration", details)


def _unsupported(key: str, value: object, why: str = "podnet does not implement it") -> NoReturn:
    raise CniError(Code.UNSUPPORTED_FIELD, f"unsupported field {key}={json.dumps(value)}", why)
