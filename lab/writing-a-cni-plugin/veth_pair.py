"""Section 3 in Python: the veth cable between the root namespace and pod1, with pyroute2."""

from pyroute2 import IPRoute, NetNS

with IPRoute() as host:  # netlink in the root namespace, like a plain `ip`
    # One call makes both ends; the peer is born inside pod1 (net_ns_fd takes a name
    # from /run/netns), so the name eth0 never clashes with the VM's own eth0.
    host.link("add", ifname="veth-pod1", kind="veth", peer={"ifname": "eth0", "net_ns_fd": "pod1"})
    veth = host.link_lookup(ifname="veth-pod1")[0]
    host.addr("add", index=veth, address="10.244.1.1", prefixlen=24)
    host.link("set", index=veth, state="up")

with NetNS("pod1") as pod:  # netlink inside pod1, like `ip -n pod1`
    eth0 = pod.link_lookup(ifname="eth0")[0]
    pod.addr("add", index=eth0, address="10.244.1.2", prefixlen=24)
    pod.link("set", index=eth0, state="up")

print("veth-pod1 (10.244.1.1/24) <-> pod1 eth0 (10.244.1.2/24)")
