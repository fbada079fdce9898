"""Hostile input: each case gets the spec's error code on stdout, a non-zero exit status,
and leaves the node exactly as it was."""

from __future__ import annotations

import json

import pytest

from testkit.cninode import network

GOOD = network()


def conf_with(**changes) -> str:
    return json.dumps({**GOOD, **changes})


def ipam_with(**changes) -> str:
    return json.dumps({**GOOD, "ipam": {**GOOD["ipam"], **changes}})


CASES = [
    # (id, stdin, cni() keyword arguments, expected code)
    pytest.param("{", {}, 6, id="malformed-json"),
    pytest.param("", {}, 6, id="empty-stdin"),
    pytest.param("[1, 2]", {}, 6, id="json-array-not-object"),
    pytest.param(b"\xff\xfe".decode("latin-1"), {}, 6, id="not-utf8-json"),
    pytest.param(conf_with(cniVersion=1.0), {}, 6, id="cniversion-not-a-string"),
    pytest.param(conf_with(cniVersion="0.4.0"), {}, 1, id="unsupported-cniversion-old"),
    pytest.param(conf_with(cniVersion="2.0.0"), {}, 1, id="unsupported-cniversion-new"),
    pytest.param(
        json.dumps({k: v for k, v in GOOD.items() if k != "cniVersion"}),
        {},
        6,
        id="missing-cniversion",
    ),
    pytest.param(conf_with(name=""), {}, 7, id="empty-name"),
    pytest.param(conf_with(name="../etc"), {}, 7, id="name-with-path"),
    pytest.param(conf_with(name=7), {}, 7, id="name-not-a-string"),
    pytest.param(conf_with(isGateway="yes"), {}, 7, id="bool-as-string"),
    pytest.param(conf_with(ipMasq=1), {}, 7, id="bool-as-number"),
    pytest.param(conf_with(mtu=True), {}, 7, id="mtu-as-bool"),
    pytest.param(conf_with(mtu=20), {}, 7, id="mtu-too-small"),
    pytest.param(conf_with(mtu="1450"), {}, 7, id="mtu-as-string"),
    pytest.param(conf_with(mtu=1450.5), {}, 7, id="mtu-fraction"),
    pytest.param(conf_with(mtu=65536), {}, 7, id="mtu-above-u16"),
    pytest.param(conf_with(bridge="br/0"), {}, 7, id="bridge-name-with-slash"),
    pytest.param(conf_with(bridge="a-very-long-bridge"), {}, 7, id="bridge-name-too-long"),
    pytest.param(conf_with(ipam="host-local"), {}, 7, id="ipam-not-an-object"),
    pytest.param(conf_with(vlan=100), {}, 2, id="unsupported-vlan"),
    pytest.param(
        conf_with(ipMasq=True, nonMasqueradeCIDRs=["fd00::/8"]), {}, 7, id="ipv6-non-masquerade"
    ),
    pytest.param(conf_with(ipMasq=True, nonMasqueradeCIDRs=[]), {}, 7, id="empty-non-masquerade"),
    pytest.param(ipam_with(type="dhcp"), {}, 2, id="unsupported-ipam-type"),
    pytest.param(ipam_with(subnet="fd00::/64"), {}, 2, id="ipv6-subnet"),
    pytest.param(ipam_with(subnet="10.244.1.0/31"), {}, 7, id="subnet-too-small-31"),
    pytest.param(ipam_with(subnet="10.244.1.1/32"), {}, 7, id="subnet-too-small-32"),
    pytest.param(ipam_with(subnet="10.244.1.0/33"), {}, 7, id="subnet-bad-prefix"),
    pytest.param(ipam_with(subnet="banana"), {}, 7, id="subnet-not-cidr"),
    pytest.param(ipam_with(gateway="10.9.9.9"), {}, 7, id="gateway-outside-subnet"),
    pytest.param(
        ipam_with(rangeStart="10.244.1.9", rangeEnd="10.244.1.3"), {}, 7, id="range-reversed"
    ),
    pytest.param(ipam_with(routes=[{"dst": "nowhere"}]), {}, 7, id="route-bad-dst"),
    pytest.param(ipam_with(routes="0.0.0.0/0"), {}, 7, id="routes-not-a-list"),
    pytest.param(ipam_with(dataDir="relative/dir"), {}, 7, id="datadir-relative"),
    pytest.param(json.dumps(GOOD), {"drop": ("CNI_COMMAND",)}, 4, id="missing-command"),
    pytest.param(json.dumps(GOOD), {"env": {"CNI_COMMAND": "EXPLODE"}}, 4, id="unknown-command"),
    pytest.param(json.dumps(GOOD), {"env": {"CNI_COMMAND": "add"}}, 4, id="lowercase-command"),
    pytest.param(json.dumps(GOOD), {"drop": ("CNI_CONTAINERID",)}, 4, id="missing-containerid"),
    pytest.param(json.dumps(GOOD), {"container": "-bad"}, 4, id="containerid-bad-start"),
    pytest.param(json.dumps(GOOD), {"container": "c1/../x"}, 4, id="containerid-with-slash"),
    pytest.param(json.dumps(GOOD), {"drop": ("CNI_NETNS",)}, 4, id="missing-netns"),
    pytest.param(json.dumps(GOOD), {"drop": ("CNI_IFNAME",)}, 4, id="missing-ifname"),
    pytest.param(json.dumps(GOOD), {"ifname": "eth0123456789012"}, 4, id="ifname-too-long"),
    pytest.param(json.dumps(GOOD), {"ifname": "eth/0"}, 4, id="ifname-with-slash"),
    pytest.param(json.dumps(GOOD), {"ifname": "eth 0"}, 4, id="ifname-with-space"),
    pytest.param(json.dumps(GOOD), {"ifname": ".."}, 4, id="ifname-dotdot"),
    pytest.param(json.dumps(GOOD), {"env": {"CNI_ARGS": "IgnoreUnknown"}}, 4, id="cni-args-not-kv"),
    pytest.param(json.dumps(GOOD), {"netns": "/run/netns/nope"}, 3, id="netns-does-not-exist"),
    pytest.param(json.dumps(GOOD), {"netns": "/proc/self/ns/net"}, 4, id="netns-is-the-hosts"),
    pytest.param(
        json.dumps(network(version="1.0.0")), {"env": {"CNI_COMMAND": "GC"}}, 1, id="gc-needs-1.1.0"
    ),
    pytest.param(
        json.dumps(network(version="1.0.0")),
        {"env": {"CNI_COMMAND": "STATUS"}},
        1,
        id="status-needs-1.1.0",
    ),
    pytest.param(
        json.dumps(GOOD), {"env": {"CNI_COMMAND": "GC"}}, 7, id="gc-without-valid-attachments"
    ),
    pytest.param(
        json.dumps(GOOD), {"env": {"CNI_COMMAND": "CHECK"}}, 7, id="check-without-prevresult"
    ),
]


@pytest.mark.parametrize(("stdin", "kwargs", "code"), CASES)
def test_bad_input_gets_the_spec_error_and_leaves_no_trace(node, stdin, kwargs, code):
    node.add(network(), container="c0", netns=node.pod("pod0"))  # something to disturb
    before = node.state()
    kwargs = dict(kwargs)
    command = kwargs.get("env", {}).get("CNI_COMMAND", "ADD")
    outcome = node.cni(command, stdin, **kwargs)
    assert outcome.status != 0
    error = json.loads(outcome.stdout)  # exactly one JSON document on stdout
    assert error["code"] == code, error
    assert set(error) == {"cniVersion", "code", "msg", "details"}
    assert error["msg"]
    assert outcome.stderr.startswith("podnet: ")  # the log line goes to stderr
    assert node.state() == before


def test_duplicate_add_is_refused_and_keeps_the_first_attachment(node):
    first = node.add(GOOD)
    before = node.state()
    outcome = node.cni("ADD", GOOD)
    assert outcome.code == 100
    assert "already holds 10.244.1.2" in outcome.json["details"]
    assert node.state() == before
    check = node.cni("CHECK", {**GOOD, "prevResult": first})
    assert check.status == 0, check


def test_add_into_a_pod_that_already_has_the_interface_fails_and_undoes_everything(node):
    node.sh("ip -n pod1 link add eth0 type veth peer name other0")
    before = node.state()
    outcome = node.cni("ADD", GOOD)
    assert outcome.code == 100
    assert "File exists" in outcome.json["details"]
    assert node.state() == before
    assert node.sh("ip -br link show type bridge") == ""  # the bridge it created is gone too


def test_error_object_echoes_a_supported_cniversion(node):
    outcome = node.cni("ADD", json.dumps(network(version="1.0.0", vlan=3)))
    assert outcome.json["cniVersion"] == "1.0.0"
    assert outcome.json["msg"] == "unsupported field vlan=3"
