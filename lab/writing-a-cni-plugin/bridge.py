"""Section 4 in Python: join veth-pod1 and veth-pod2 with the bridge br0, with pyroute2."""

from pyroute2 import IPRoute

with IPRoute() as host:  # netlink in the root namespace, like a plain `ip`
    ports = [host.link_lookup(ifname=name)[0] for name in ("veth-pod1", "veth-pod2")]
    for port in ports:  # the gateway address moves from the veth ends to the bridge
        host.addr("del", index=port, address="10.244.1.1", prefixlen=24)

    host.link("add", ifname="br0", kind="bridge")
    br0 = host.link_lookup(ifname="br0")[0]
    for port in ports:
        host.link("set", index=port, master=br0)  # plug the cable into the switch
    host.addr("add", index=br0, address="10.244.1.1", prefixlen=24)
    host.link("set", index=br0, state="up")

print("br0 (10.244.1.1/24) joins veth-pod1 and veth-pod2")
