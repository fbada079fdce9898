"""Side by side: the reference bridge + host-local and podnet, same configuration, separate
nodes; the results and what each leaves on the node must match."""

from __future__ import annotations

import pytest

from labrun import sandbox
from testkit.cninode import LAB_DIR, PODNET, REFERENCE, Node, network

pytestmark = pytest.mark.usefixtures("reference_plugins")

PODS = ("pod1", "pod2", "pod3")


def run_three_pods(node, plugin_type: str, plugin) -> list[dict]:
    # The reference plugins stop at spec 1.0.0 (FACTS); podnet speaks it too.
    conf = network(plugin_type, version="1.0.0")
    results = []
    for index, pod in enumerate(PODS, start=1):
        if pod != "pod1":
            node.pod(pod)
        results.append(
            node.add(conf, plugin=plugin, container=f"c{index}", netns=f"/run/netns/{pod}")
        )
    return results


def shape(result: dict) -> dict:
    """A result with the volatile parts (MACs, host veth names) masked."""
    return {
        "cniVersion": result["cniVersion"],
        "interfaces": [
            {
                key: ("<mac>" if key == "mac" else value)
                for key, value in interface.items()
                if not (key == "name" and value.startswith("veth"))
            }
            for interface in result["interfaces"]
        ],
        "ips": result["ips"],
        "routes": result["routes"],
        "dns": result["dns"],
    }


def node_state(node) -> dict:
    bridge = node.json("ip -json addr show dev cni0")[0]
    ports = node.json("ip -json link show master cni0")
    pods = {}
    for pod in PODS:
        (eth0,) = node.json(f"ip -n {pod} -json addr show dev eth0")
        routes = node.json(f"ip -n {pod} -json route show")
        pods[pod] = {
            "addr": [
                (a["local"], a["prefixlen"]) for a in eth0["addr_info"] if a["family"] == "inet"
            ],
            "up": "UP" in eth0["flags"],
            "routes": sorted((r["dst"], r.get("gateway"), r["dev"]) for r in routes),
        }
    return {
        "bridge_up": "UP" in bridge["flags"],
        "gateway": [
            (a["local"], a["prefixlen"]) for a in bridge["addr_info"] if a["family"] == "inet"
        ],
        "ports": len(ports),
        "ports_up": all("UP" in port["flags"] for port in ports),
        "pods": pods,
        "ip_forward": node.sh("cat /proc/sys/net/ipv4/ip_forward").strip(),
        "ipam": node.reservations(),
        "ipam_files": node.sh("ls /run/cni/networks/k8s-pod-network").split(),
        "last_reserved": node.sh("cat /run/cni/networks/k8s-pod-network/last_reserved_ip.0"),
    }


@pytest.fixture
def side_by_side(sandbox_works):
    """Two nodes, one per plugin, each with three pods added the same way."""
    with sandbox.Sandbox(LAB_DIR, LAB_DIR) as ref_box, sandbox.Sandbox(LAB_DIR, LAB_DIR) as own_box:
        ref, own = Node(ref_box), Node(own_box)
        for node in (ref, own):
            node.pod("pod1")
        yield (
            (ref, run_three_pods(ref, "bridge", REFERENCE)),
            (own, run_three_pods(own, "podnet", PODNET)),
        )


def test_podnet_returns_the_same_result_as_the_reference_pair(side_by_side):
    (_, reference), (_, ours) = side_by_side
    assert [shape(r) for r in ours] == [shape(r) for r in reference]
    assert [r["ips"][0]["address"] for r in ours] == [
        "10.244.1.2/24",
        "10.244.1.3/24",
        "10.244.1.4/24",
    ]


def test_podnet_leaves_the_node_as_the_reference_pair_does(side_by_side):
    (ref, _), (own, _) = side_by_side
    expected = node_state(ref)
    assert node_state(own) == expected
    assert expected["gateway"] == [("10.244.1.1", 24)]
    assert expected["pods"]["pod1"]["routes"] == [
        ("10.244.1.0/24", None, "eth0"),
        ("default", "10.244.1.1", "eth0"),
    ]
    assert expected["ipam"] == {
        "10.244.1.2": "c1\r\neth0",
        "10.244.1.3": "c2\r\neth0",
        "10.244.1.4": "c3\r\neth0",
    }


def test_pods_reach_each_other_and_the_gateway_through_either_plugin(side_by_side):
    for node, _ in side_by_side:
        node.sh("ip netns exec pod1 ping -c1 -W2 10.244.1.3 >/dev/null")
        node.sh("ip netns exec pod3 ping -c1 -W2 10.244.1.1 >/dev/null")


def test_del_then_add_reuses_no_address_at_once_in_either_plugin(side_by_side):
    """host-local's round robin: DEL pod1 then ADD pod4 gives .5, not .2 (FACTS)."""
    plugins = ("bridge", "podnet")
    for (node, _), plugin_type in zip(side_by_side, plugins, strict=True):
        plugin = REFERENCE if plugin_type == "bridge" else None
        extra = {"plugin": plugin} if plugin else {}
        conf = network(plugin_type, version="1.0.0")
        assert node.cni("DEL", conf, container="c1", **extra).status == 0
        netns = node.pod("pod4")
        result = node.add(conf, container="c4", netns=netns, **extra)
        assert result["ips"][0]["address"] == "10.244.1.5/24"


def link_mtus(node) -> dict:
    """The MTU of the bridge, of the pod's host veth and of the pod's eth0."""
    (bridge,) = node.json("ip -json link show dev cni0")
    (host,) = node.json("ip -json link show master cni0")
    (eth0,) = node.json("ip -n pod1 -json link show dev eth0")
    return {"cni0": bridge["mtu"], "host veth": host["mtu"], "pod eth0": eth0["mtu"]}


@pytest.mark.parametrize(("mtu", "expected"), [(1450, 1450), (9000, 9000), (None, 1500)])
def test_mtu_sets_the_bridge_and_both_veth_ends_as_the_reference_pair_does(
    sandbox_works, mtu, expected
):
    """An overlay's MTU must reach the pod's eth0 (its TCP MSS comes from there), not only the
    node's side; absent, both plugins leave the kernel's default."""
    extra = {} if mtu is None else {"mtu": mtu}
    with sandbox.Sandbox(LAB_DIR, LAB_DIR) as ref_box, sandbox.Sandbox(LAB_DIR, LAB_DIR) as own_box:
        seen = []
        for box, plugin_type, plugin in (
            (ref_box, "bridge", REFERENCE),
            (own_box, "podnet", PODNET),
        ):
            node = Node(box)
            node.pod("pod1")
            conf = network(plugin_type, version="1.0.0", **extra)
            node.add(conf, plugin=plugin, container="c1", netns="/run/netns/pod1")
            seen.append(link_mtus(node))
    reference, ours = seen
    assert reference == {"cni0": expected, "host veth": expected, "pod eth0": expected}
    assert ours == reference
