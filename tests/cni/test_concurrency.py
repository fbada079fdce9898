"""Many pods at once, as a kubelet starts them: the real plugin, in parallel, on one bridge."""

from __future__ import annotations

import json

from testkit.cninode import DATA_DIR, PODNET, network

PARALLEL_ADD = """\
for i in $(seq 1 {count}); do
  ip netns add p$i
  CNI_COMMAND={command} CNI_CONTAINERID=c$i CNI_NETNS=/run/netns/p$i CNI_IFNAME=eth0 \\
    {plugin} < /tmp/conf.json > /tmp/out.$i 2>/dev/null &
done
wait
"""


def run_in_parallel(node, conf: dict, count: int, command: str = "ADD") -> list[dict]:
    node.sh(f"cat > /tmp/conf.json <<'EOF'\n{json.dumps(conf)}\nEOF")
    script = PARALLEL_ADD.format(count=count, command=command, plugin=PODNET)
    if command != "ADD":
        script = script.replace("  ip netns add p$i\n", "")
    node.sh(script, timeout=120)
    outputs = node.sh(f"for i in $(seq 1 {count}); do cat /tmp/out.$i; echo '%%'; done")
    return [json.loads(text) if text.strip() else {} for text in outputs.split("%%\n")[:count]]


def test_forty_parallel_adds_get_forty_different_working_addresses(node):
    results = run_in_parallel(node, network(), 40)
    addresses = [result["ips"][0]["address"] for result in results]
    assert len(set(addresses)) == 40
    for index in (1, 20, 40):
        shown = node.json(f"ip -n p{index} -json addr show dev eth0")[0]["addr_info"]
        assert f"{shown[0]['local']}/24" == addresses[index - 1]
    assert len(node.json("ip -json link show master cni0")) == 40
    node.sh("ip netns exec p1 ping -c1 -W2 10.244.1.1 >/dev/null")

    assert run_in_parallel(node, network(), 40, command="DEL") == [{}] * 40
    assert node.reservations() == {}
    assert node.json("ip -json link show master cni0") == []


def test_parallel_adds_beyond_the_range_fail_cleanly_and_leave_nothing(node):
    small = network(ipam={"subnet": "10.244.7.0/28"})  # 13 pod addresses
    results = run_in_parallel(node, small, 20)
    ok = [r for r in results if "ips" in r]
    failed = [r for r in results if "code" in r]
    assert len(ok) == 13 and len(failed) == 7
    assert {r["code"] for r in failed} == {101}
    assert len(node.json("ip -json link show master cni0")) == 13
    assert len(node.reservations()) == 13
    assert node.sh(f"ls {DATA_DIR}/k8s-pod-network | wc -l").strip() == "15"  # + lock, last
