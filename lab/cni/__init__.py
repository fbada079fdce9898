"""podnet: a small CNI plugin (bridge + veth + host-local-style IPAM) the article builds.

`podnet` is the executable; it only dispatches to `commands`. Spec 1.0.0 and 1.1.0.
"""
