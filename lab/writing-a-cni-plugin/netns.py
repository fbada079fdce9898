"""Section 2 in Python: `ip netns add pod1`, then a look inside it, with pyroute2."""

from pyroute2 import NetNS, netns

IFF_UP = 0x1  # <linux/if.h>: the administrative "up" flag that `ip link set ... up` sets

netns.create("pod1")  # the same bind mount as `ip netns add`: /run/netns/pod1
print("namespaces:", netns.listnetns())

with NetNS("pod1") as ns:  # a netlink socket that lives inside pod1
    for link in ns.get_links():
        state = "UP" if link["flags"] & IFF_UP else "DOWN"
        print("pod1:", link.get_attr("IFLA_IFNAME"), state)
    print("pod1 routes:", len(ns.get_routes(table=254)))  # 254 = the main table
