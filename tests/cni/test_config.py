"""The configuration parser: defaults, checks, and a property-based hunt for crashes."""

from __future__ import annotations

import ipaddress
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cni import config
from cni.protocol import CniError, Code
from testkit.cninode import network


def test_the_article_configuration_parses_with_host_local_defaults():
    conf = config.parse(network(), "ADD")
    assert conf.bridge == "cni0"
    assert conf.range == config.Range(
        ipaddress.IPv4Network("10.244.1.0/24"),
        ipaddress.IPv4Address("10.244.1.1"),
        ipaddress.IPv4Address("10.244.1.254"),
        ipaddress.IPv4Address("10.244.1.1"),
    )
    assert conf.routes == [config.Route(ipaddress.IPv4Network("0.0.0.0/0"), None)]
    assert conf.data_dir == "/run/cni/networks"
    assert (conf.is_gateway, conf.ip_masq, conf.mtu) == (True, False, None)


def test_host_local_ranges_syntax_with_one_range_is_understood():
    ipam = {
        "type": "host-local",
        "ranges": [
            [{"subnet": "10.244.2.0/24", "rangeStart": "10.244.2.10", "gateway": "10.244.2.254"}]
        ],
    }
    conf = config.parse({**network(), "ipam": ipam}, "ADD")
    assert (str(conf.range.start), str(conf.range.end), str(conf.range.gateway)) == (
        "10.244.2.10",
        "10.244.2.254",
        "10.244.2.254",
    )
    assert conf.data_dir == config.DEFAULT_DATA_DIR


def test_is_default_gateway_implies_gateway_and_a_default_route():
    conf = config.parse(network(isGateway=False, isDefaultGateway=True, ipam={"routes": []}), "ADD")
    assert conf.is_gateway
    assert [str(route.dst) for route in conf.routes] == ["0.0.0.0/0"]


def test_unknown_fields_pass_through_as_the_spec_requires():
    raw = network(runtimeConfig={"portMappings": []}, args={"x": 1}, dns={}, whatever=[1])
    config.parse(raw, "ADD")


def test_two_ranges_are_an_unsupported_field_naming_key_and_value():
    ipam = {
        "type": "host-local",
        "ranges": [[{"subnet": "10.0.0.0/24"}], [{"subnet": "10.1.0.0/24"}]],
    }
    with pytest.raises(CniError) as raised:
        config.parse({**network(), "ipam": ipam}, "ADD")
    assert raised.value.code == Code.UNSUPPORTED_FIELD
    assert raised.value.msg.startswith('unsupported field ipam.ranges=[[{"subnet": "10.0.0.0/24"}]')


def test_gc_needs_the_list_of_valid_attachments():
    with pytest.raises(CniError) as raised:
        config.parse(network(), "GC")
    assert raised.value.code == Code.INVALID_CONFIG
    valid = [{"containerID": "c1", "ifname": "eth0"}]
    conf = config.parse({**network(), "cni.dev/valid-attachments": valid}, "GC")
    assert conf.valid_attachments == {("c1", "eth0")}


def test_a_30_holds_exactly_one_pod_address_and_a_31_none():
    conf = config.parse(network(ipam={"subnet": "10.0.0.0/30"}), "ADD")
    assert (str(conf.range.start), str(conf.range.end)) == ("10.0.0.1", "10.0.0.2")
    with pytest.raises(CniError, match="too small"):
        config.parse(network(ipam={"subnet": "10.0.0.0/31"}), "ADD")


# ---- property-based: any JSON at all gets a CniError with a config code, never a crash ----

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=12,
)
KEYS = [
    "cniVersion",
    "name",
    "type",
    "bridge",
    "isGateway",
    "isDefaultGateway",
    "ipMasq",
    "mtu",
    "ipam",
    "prevResult",
    "vlan",
    "cni.dev/valid-attachments",
    "nonMasqueradeCIDRs",
]
IPAM_KEYS = ["type", "subnet", "rangeStart", "rangeEnd", "gateway", "routes", "dataDir", "ranges"]
addresses = st.ip_addresses(v=4).map(str)
cidrs = st.builds(lambda a, p: f"{a}/{p}", addresses, st.integers(0, 33))
ipam_values = st.fixed_dictionaries(
    {},
    optional={
        "type": st.sampled_from(["host-local", "dhcp"]) | json_values,
        "subnet": cidrs | json_values,
        "rangeStart": addresses | json_values,
        "rangeEnd": addresses | json_values,
        "gateway": addresses | json_values,
        "routes": st.lists(st.fixed_dictionaries({"dst": cidrs}, optional={"gw": addresses}))
        | json_values,
        "dataDir": st.sampled_from(["/run/x", "rel"]) | json_values,
        "ranges": st.lists(
            st.lists(st.fixed_dictionaries({"subnet": cidrs}), max_size=2), max_size=2
        )
        | json_values,
    },
)
# protocol.check_version has vetted cniVersion before parse() runs.
configs = st.fixed_dictionaries(
    {"cniVersion": st.just("1.1.0")},
    optional={
        "name": st.sampled_from(["net", "k8s-pod-network", "-bad", ""]) | json_values,
        "type": st.just("podnet") | json_values,
        "bridge": st.sampled_from(["cni0", "a" * 16, "br/0"]) | json_values,
        "isGateway": json_values,
        "isDefaultGateway": json_values,
        "ipMasq": json_values,
        "mtu": st.integers(0, 70000) | json_values,
        "ipam": ipam_values | json_values,
        "vlan": json_values,
        "nonMasqueradeCIDRs": st.lists(cidrs | st.just("fd00::/8"), max_size=3) | json_values,
        "prevResult": json_values,
        "cni.dev/valid-attachments": st.lists(
            st.fixed_dictionaries(
                {"containerID": st.text(max_size=4), "ifname": st.text(max_size=4)}
            )
        )
        | json_values,
    },
)


@st.composite
def near_valid_configs(draw) -> dict:
    """The article's configuration with up to three fields broken, removed or retyped, so
    most examples get deep into the parser instead of failing at the first key."""
    raw = network(**{"cni.dev/valid-attachments": []})
    for _ in range(draw(st.integers(0, 3))):
        top = draw(st.sampled_from(KEYS[1:] + ["ipam." + key for key in IPAM_KEYS]))
        target, key = (raw.get("ipam"), top[5:]) if top.startswith("ipam.") else (raw, top)
        if not isinstance(target, dict):
            continue
        if draw(st.booleans()):
            target.pop(key, None)
        else:
            target[key] = draw(json_values | cidrs | addresses)
    return raw


SETTINGS = settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
COMMANDS = st.sampled_from(["ADD", "DEL", "CHECK", "GC", "STATUS"])


@SETTINGS
@given(raw=configs, command=COMMANDS)
def test_any_configuration_is_accepted_or_refused_with_a_config_error(raw, command):
    check_parse(raw, command)


@SETTINGS
@given(raw=near_valid_configs(), command=COMMANDS)
def test_a_nearly_valid_configuration_is_accepted_or_refused_with_a_config_error(raw, command):
    check_parse(raw, command)


def check_parse(raw: dict, command: str) -> None:
    json.dumps(raw)  # only JSON-representable input, as a runtime would send
    try:
        conf = config.parse(raw, command)
    except CniError as error:
        assert error.code in (Code.UNSUPPORTED_FIELD, Code.INVALID_CONFIG)
        assert error.msg
        return
    # Accepted: the invariants every command relies on hold.
    rng = conf.range
    assert rng.start in rng.subnet and rng.end in rng.subnet and rng.gateway in rng.subnet
    assert rng.start <= rng.end
    assert rng.subnet.prefixlen <= 30
    assert any(address != rng.gateway for address in (rng.start, rng.end))
    assert conf.data_dir.startswith("/")
    assert 1 <= len(conf.bridge) <= 15
    assert conf.mtu is None or 68 <= conf.mtu <= 65535
    assert all(isinstance(flag, bool) for flag in (conf.is_gateway, conf.ip_masq))
    assert command != "GC" or isinstance(conf.valid_attachments, set)
    assert all(isinstance(n, ipaddress.IPv4Network) for n in conf.non_masquerade)
    assert len(set(conf.non_masquerade)) == len(conf.non_masquerade)


@settings(max_examples=300, deadline=None)
@given(prefix=st.integers(8, 30), base=st.ip_addresses(v=4), data=st.data())
def test_every_valid_subnet_yields_a_range_inside_it(prefix, base, data):
    subnet = ipaddress.IPv4Network(f"{base}/{prefix}", strict=False)
    hosts = int(subnet.num_addresses) - 2
    start = data.draw(st.integers(1, hosts))
    end = data.draw(st.integers(start, hosts))
    ipam = {
        "subnet": str(subnet),
        "rangeStart": str(subnet.network_address + start),
        "rangeEnd": str(subnet.network_address + end),
    }
    if start == end == 1:
        with pytest.raises(CniError, match="only the gateway"):
            config.parse(network(ipam=ipam), "ADD")
        return
    conf = config.parse(network(ipam=ipam), "ADD")
    assert int(conf.range.end) - int(conf.range.start) == end - start


@pytest.mark.parametrize(
    "changes",
    [
        pytest.param({"mtu": True}, id="mtu-true-is-not-a-number"),
        pytest.param({"mtu": 67}, id="mtu-below-ipv4-minimum"),
        pytest.param({"mtu": 65536}, id="mtu-above-u16"),
        pytest.param({"mtu": 1500.5}, id="mtu-fraction"),
        pytest.param({"ipMasq": 1}, id="one-is-not-true"),
        pytest.param({"isGateway": "false"}, id="a-string-is-not-a-bool"),
        pytest.param({"bridge": ""}, id="empty-bridge-name"),
        pytest.param({"type": None}, id="null-type-is-missing"),
    ],
)
def test_wrong_types_and_ranges_are_invalid_configurations(changes):
    with pytest.raises(CniError) as raised:
        config.parse(network(**changes), "ADD")
    assert raised.value.code == Code.INVALID_CONFIG


def test_mtu_bounds_are_inclusive():
    assert config.parse(network(mtu=68), "ADD").mtu == 68
    assert config.parse(network(mtu=65535), "ADD").mtu == 65535


@pytest.mark.parametrize(
    ("mtu", "details"),
    [
        pytest.param("1450", 'mtu must be an integer, got "1450"', id="string"),
        pytest.param(1450.0, "mtu must be an integer, got 1450.0", id="float"),
        pytest.param(False, "mtu must be an integer, got false", id="bool"),
        pytest.param(0, "mtu 0 is outside 68..65535", id="zero"),
        pytest.param(-1450, "mtu -1450 is outside 68..65535", id="negative"),
        pytest.param(65536, "mtu 65536 is outside 68..65535", id="above-u16"),
    ],
)
def test_a_bad_mtu_is_an_invalid_configuration_naming_the_field(mtu, details):
    with pytest.raises(CniError) as raised:
        config.parse(network(mtu=mtu), "ADD")
    assert (raised.value.code, raised.value.details) == (Code.INVALID_CONFIG, details)


def test_without_mtu_the_kernel_chooses_and_null_means_absent():
    assert config.parse(network(), "ADD").mtu is None
    assert config.parse(network(mtu=None), "ADD").mtu is None
    assert config.parse(network(mtu=1450), "ADD").mtu == 1450


# ---- nonMasqueradeCIDRs: the ranges ipMasq must leave alone --------------------------------


def test_non_masquerade_cidrs_default_to_none_and_keep_their_order():
    assert config.parse(network(), "ADD").non_masquerade == []
    conf = config.parse(network(nonMasqueradeCIDRs=["10.244.0.0/16", "192.0.2.0/24"]), "ADD")
    assert conf.non_masquerade == [
        ipaddress.IPv4Network("10.244.0.0/16"),
        ipaddress.IPv4Network("192.0.2.0/24"),
    ]


@pytest.mark.parametrize(
    ("value", "details"),
    [
        pytest.param([], "nonMasqueradeCIDRs is empty: list the cluster's pod range", id="empty"),
        pytest.param("10.244.0.0/16", "nonMasqueradeCIDRs must be a list", id="not-a-list"),
        pytest.param([16], "nonMasqueradeCIDRs[0] must be a string", id="number-entry"),
        pytest.param(
            ["10.244.0.0/16", "10.244.0.0/33"],
            "nonMasqueradeCIDRs[1] '10.244.0.0/33' is not a CIDR",
            id="bad-prefix",
        ),
        pytest.param(["pods"], "nonMasqueradeCIDRs[0] 'pods' is not a CIDR", id="not-a-cidr"),
        pytest.param(
            ["10.244.1.0/16"], "nonMasqueradeCIDRs[0] '10.244.1.0/16' is not a CIDR", id="host-bits"
        ),
        pytest.param(["fd00::/8"], "nonMasqueradeCIDRs[0] 'fd00::/8' is IPv6", id="ipv6"),
        pytest.param(
            ["10.244.0.0/16", "10.244.0.0/16"],
            "nonMasqueradeCIDRs[1] '10.244.0.0/16' is listed twice",
            id="twice",
        ),
    ],
)
def test_bad_non_masquerade_cidrs_are_invalid_configurations_naming_the_entry(value, details):
    with pytest.raises(CniError) as raised:
        config.parse(network(ipMasq=True, nonMasqueradeCIDRs=value), "ADD")
    assert raised.value.code == Code.INVALID_CONFIG
    assert raised.value.details.startswith(details), raised.value.details
