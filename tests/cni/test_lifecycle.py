"""podnet through a pod's life: ADD, CHECK, DEL (twice, after the pod is gone), GC, STATUS,
VERSION, as a runtime drives them."""

from __future__ import annotations

import json

import pytest

from testkit.cninode import REFERENCE, network

MASQ = network(ipMasq=True)


def nat_rules(node) -> list[str]:
    return [line for line in node.sh("iptables -t nat -S").splitlines() if "-A " in line]


def test_add_builds_bridge_veth_address_and_default_route(node):
    result = node.add(MASQ)
    assert result["ips"] == [{"interface": 2, "address": "10.244.1.2/24", "gateway": "10.244.1.1"}]
    bridge, host_veth, pod = result["interfaces"]
    assert pod == {"name": "eth0", "mac": pod["mac"], "sandbox": "/run/netns/pod1"}
    (port,) = node.json("ip -json link show master cni0")
    assert port["ifname"] == host_veth["name"]
    assert node.json("ip -n pod1 -json link show eth0")[0]["address"] == pod["mac"]
    assert node.json("ip -json link show cni0")[0]["address"] == bridge["mac"]
    assert node.sh("ip -n pod1 route show default").split()[:3] == ["default", "via", "10.244.1.1"]
    assert node.sh("cat /proc/sys/net/ipv4/ip_forward").strip() == "1"
    assert nat_rules(node) == [
        "-A POSTROUTING -s 10.244.1.2/32 ! -d 10.244.1.0/24 -m comment --comment "
        '"podnet/k8s-pod-network/c1/eth0" -j MASQUERADE'
    ]


CLUSTER = network(ipMasq=True, nonMasqueradeCIDRs=["10.244.0.0/16", "192.0.2.0/24"])


def pod_rules(container: str) -> list[str]:
    """The rules ADD writes for pod `container` at 10.244.1.<n>, in order."""
    tag = f'-m comment --comment "podnet/k8s-pod-network/{container}/eth0"'
    address = {"c1": "10.244.1.2", "c2": "10.244.1.3", "c3": "10.244.1.4"}[container]
    return [
        f"-A POSTROUTING -s {address}/32 -d 10.244.0.0/16 {tag} -j RETURN",
        f"-A POSTROUTING -s {address}/32 -d 192.0.2.0/24 {tag} -j RETURN",
        f"-A POSTROUTING -s {address}/32 ! -d 10.244.1.0/24 {tag} -j MASQUERADE",
    ]


def test_the_cluster_ranges_get_a_return_rule_before_the_masquerade(node):
    result = node.add(CLUSTER)
    assert nat_rules(node) == pod_rules("c1")
    check = {**CLUSTER, "prevResult": result}
    assert node.cni("CHECK", check).status == 0
    node.sh(f"iptables -t nat -D {pod_rules('c1')[1][3:]}")
    outcome = node.cni("CHECK", check)
    assert outcome.code == 102
    assert outcome.json["details"] == "the RETURN rule for 192.0.2.0/24 is missing"


def test_del_and_gc_take_the_return_rules_with_the_masquerade(node):
    for index in (1, 2, 3):
        netns = "/run/netns/pod1" if index == 1 else node.pod(f"pod{index}")
        node.add(CLUSTER, container=f"c{index}", netns=netns)
    assert nat_rules(node) == pod_rules("c1") + pod_rules("c2") + pod_rules("c3")
    node.sh("ip netns del pod1")
    for _ in range(2):
        assert node.cni("DEL", CLUSTER, container="c1").status == 0
    assert nat_rules(node) == pod_rules("c2") + pod_rules("c3")
    valid = [{"containerID": "c3", "ifname": "eth0"}]
    outcome = node.cni("GC", {**CLUSTER, "cni.dev/valid-attachments": valid})
    assert outcome.status == 0 and outcome.stdout == "", outcome
    assert nat_rules(node) == pod_rules("c3")
    assert node.cni("DEL", CLUSTER, container="c3", netns="/run/netns/pod3").status == 0
    leftovers = node.sh("iptables -t nat -S").splitlines()
    assert [line for line in leftovers if not line.startswith("-P ")] == []
    assert node.reservations() == {}


def test_bridge_mac_stays_put_when_its_first_port_leaves(node):
    first = node.add(network())
    node.add(network(), container="c2", netns=node.pod("pod2"))
    node.cni("DEL", network())
    assert node.json("ip -json link show cni0")[0]["address"] == first["interfaces"][0]["mac"]


def test_del_after_the_pod_is_gone_frees_everything_even_twice(node):
    result = node.add(MASQ)
    node.sh("ip netns del pod1")
    for _ in range(2):  # SPEC "DEL": multiple DELs must succeed
        outcome = node.cni("DEL", MASQ)
        assert outcome.status == 0 and outcome.stdout == "", outcome
    assert node.reservations() == {}
    assert node.sh(f"ip link show {result['interfaces'][1]['name']} 2>&1 || true").startswith(
        "Device"
    )
    assert nat_rules(node) == []


@pytest.mark.usefixtures("reference_plugins")
def test_reference_bridge_leaks_its_masquerade_chain_where_podnet_does_not(node):
    """The upstream leak the article shows (FACTS): DEL after the netns is gone."""
    node.add(network("bridge", version="1.0.0", ipMasq=True), plugin=REFERENCE)
    node.sh("ip netns del pod1")
    assert (
        node.cni("DEL", network("bridge", version="1.0.0", ipMasq=True), plugin=REFERENCE).status
        == 0
    )
    assert node.reservations() == {}
    assert any("CNI-" in rule for rule in nat_rules(node))


def test_del_while_the_pod_lives_removes_both_ends_of_the_veth(node):
    result = node.add(network())
    assert node.cni("DEL", network()).status == 0
    assert node.json("ip -json link show master cni0") == []
    assert [link["ifname"] for link in node.json("ip -n pod1 -json link show")] == ["lo"]
    assert result["interfaces"][1]["name"] not in node.sh("ip -br link")


def test_del_of_an_attachment_never_added_succeeds(node):
    outcome = node.cni("DEL", MASQ, container="never-added")
    assert outcome.status == 0, outcome


def test_check_passes_after_add_and_names_what_broke(node):
    result = node.add(MASQ)
    check = {**MASQ, "prevResult": result}
    assert node.cni("CHECK", check).status == 0
    node.sh("ip -n pod1 route del default")
    node.sh("iptables -t nat -F POSTROUTING")
    outcome = node.cni("CHECK", check)
    assert outcome.code == 102
    assert outcome.json["details"] == (
        "route 0.0.0.0/0 via 10.244.1.1 is missing; the masquerade rule is missing"
    )


def test_check_sees_a_lost_address_and_a_veth_out_of_the_bridge(node):
    result = node.add(network())
    node.sh("ip -n pod1 addr flush dev eth0")
    node.sh(f"ip link set {result['interfaces'][1]['name']} nomaster")
    outcome = node.cni("CHECK", {**network(), "prevResult": result})
    assert outcome.code == 102
    assert "is not a port of cni0" in outcome.json["details"]
    assert "eth0 lacks 10.244.1.2/24" in outcome.json["details"]


def test_check_of_a_pod_whose_namespace_is_gone_is_container_unknown(node):
    result = node.add(network())
    node.sh("ip netns del pod1")
    assert node.cni("CHECK", {**network(), "prevResult": result}).code == 3


def test_gc_removes_every_attachment_not_listed_as_valid(node):
    results = {"c1": node.add(MASQ)}
    for index in (2, 3):
        netns = node.pod(f"pod{index}")
        results[f"c{index}"] = node.add(MASQ, container=f"c{index}", netns=netns)
    valid = [{"containerID": "c2", "ifname": "eth0"}]
    outcome = node.cni("GC", {**MASQ, "cni.dev/valid-attachments": valid})
    assert outcome.status == 0 and outcome.stdout == "", outcome
    assert node.reservations() == {"10.244.1.3": "c2\r\neth0"}
    ports = [port["ifname"] for port in node.json("ip -json link show master cni0")]
    assert ports == [results["c2"]["interfaces"][1]["name"]]
    assert [rule for rule in nat_rules(node) if "podnet" in rule] == [
        "-A POSTROUTING -s 10.244.1.3/32 ! -d 10.244.1.0/24 -m comment --comment "
        '"podnet/k8s-pod-network/c2/eth0" -j MASQUERADE'
    ]
    check = {**MASQ, "prevResult": results["c2"]}
    assert node.cni("CHECK", check, container="c2", netns="/run/netns/pod2").status == 0


@pytest.mark.usefixtures("reference_plugins")
def test_gc_leaves_other_plugins_ports_alone(node):
    node.add(network("bridge", version="1.0.0"), plugin=REFERENCE, container="theirs")
    node.add(network(), container="ours", netns=node.pod("pod2"))
    outcome = node.cni("GC", {**network(), "cni.dev/valid-attachments": []})
    assert outcome.status == 0, outcome
    assert len(node.json("ip -json link show master cni0")) == 1


def test_status_is_ready_then_unavailable_when_the_range_is_full(node):
    small = network(ipam={"subnet": "10.244.9.0/30"})  # .1 gateway, .2 the only pod address
    assert node.cni("STATUS", small).status == 0
    node.add(small)
    outcome = node.cni("STATUS", small)
    assert outcome.code == 50
    exhausted = node.cni("ADD", small, container="c2", netns=node.pod("pod2"))
    assert exhausted.code == 101
    assert exhausted.json["msg"] == "no free IP address"


def test_status_reports_limited_connectivity_when_the_bridge_is_down(node):
    node.add(network())
    node.sh("ip link set cni0 down")
    assert node.cni("STATUS", network()).code == 51


def test_version_lists_the_spec_versions_podnet_speaks(node):
    outcome = node.cni("VERSION", "", drop=("CNI_CONTAINERID", "CNI_NETNS", "CNI_IFNAME"))
    assert outcome.json == {"cniVersion": "1.1.0", "supportedVersions": ["1.0.0", "1.1.0"]}
    outcome = node.cni("VERSION", '{"cniVersion": "1.0.0"}')
    assert outcome.json["cniVersion"] == "1.0.0"


def test_add_passes_a_previous_result_on_with_its_own_appended(node):
    previous = {
        "cniVersion": "1.1.0",
        "interfaces": [{"name": "lo", "mac": "00:00:00:00:00:00", "sandbox": "/run/netns/pod1"}],
        "ips": [{"interface": 0, "address": "127.0.0.1/8"}],
        "dns": {},
    }
    result = node.add({**network(), "prevResult": previous})
    names = [interface["name"] for interface in result["interfaces"]]
    assert names == ["lo", "cni0", names[2], "eth0"]
    assert result["ips"][1] == {"interface": 3, "address": "10.244.1.2/24", "gateway": "10.244.1.1"}


def test_cni_args_from_kubernetes_are_accepted(node):
    args = "IgnoreUnknown=1;K8S_POD_NAMESPACE=default;K8S_POD_NAME=web;K8S_POD_UID=42"
    outcome = node.cni("ADD", network(), env={"CNI_ARGS": args})
    assert outcome.status == 0, outcome


def test_podnet_takes_calls_the_way_containerd_makes_them(node):
    """What containerd 1.6 sends (seen through the lab's shim, 05-runtime.console): CNI_ARGS
    with the pod's identity, the plugin's config re-serialised with sorted keys and the
    conflist's name and cniVersion injected; on Stop a DEL with the netns and prevResult; on
    Remove a second DEL with CNI_NETNS set but empty and no prevResult."""
    sandbox_id = "8ad494517704c30f7fa115abd6df8953d1ef483cc3b7f1d24fff7171b4b9e58a"
    args = {
        "CNI_ARGS": f"K8S_POD_NAMESPACE=default;K8S_POD_NAME=pod1;K8S_POD_INFRA_CONTAINER_ID="
        f"{sandbox_id};K8S_POD_UID=ab7b963a-31a6-500b-948a-9df797a94a9e;IgnoreUnknown=1"
    }
    conf = json.dumps(network(version="1.0.0"), sort_keys=True, separators=(",", ":"))
    result = node.add(conf, container=sandbox_id, env=args)
    assert node.reservations() == {"10.244.1.2": f"{sandbox_id}\r\neth0"}
    stop = {**json.loads(conf), "prevResult": result}
    outcome = node.cni("DEL", json.dumps(stop, sort_keys=True), container=sandbox_id, env=args)
    assert (outcome.status, outcome.stdout) == (0, ""), outcome
    assert node.reservations() == {}
    assert node.sh("ip -br link show master cni0") == ""
    outcome = node.cni("DEL", conf, container=sandbox_id, env={**args, "CNI_NETNS": ""})
    assert (outcome.status, outcome.stdout) == (0, ""), outcome
