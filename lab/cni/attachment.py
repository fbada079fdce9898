"""An attachment's identity, `(network, CNI_CONTAINERID, CNI_IFNAME)`, and the names it gives.

The spec keys every attachment by these three (SPEC Section 2, "Parameters"), and so does
podnet: DEL and GC find what ADD made from them alone, even when the pod's network namespace
is gone. ADD writes the tag `podnet/<network>/<id>/<ifname>` into the host veth's ifalias and
into the masquerade rule's comment, and names the host veth after a hash of the attachment.
"""

from __future__ import annotations

import zlib
from typing import NamedTuple

from cni.protocol import ID_PATTERN, IFNAMSIZ

PREFIX = "podnet"


class Attachment(NamedTuple):
    """One attachment: the network's `name`, CNI_CONTAINERID and CNI_IFNAME."""

    network: str
    container_id: str
    ifname: str

    @property
    def tag(self) -> str:
        """What ADD writes where a name does not fit: the veth's ifalias, the rule's comment."""
        return f"{PREFIX}/{self.network}/{self.container_id}/{self.ifname}"

    @property
    def host_veth(self) -> str:
        """The host end's name, `veth` + 8 hex digits (IFNAMSIZ leaves 15 characters): DEL and
        GC compute it again without the pod."""
        key = f"{self.network}/{self.container_id}/{self.ifname}"
        return f"veth{zlib.crc32(key.encode()):08x}"

    @classmethod
    def parse(cls, tag: str) -> Attachment:
        """The attachment `tag` names; ValueError saying what is wrong with anything else."""
        parts = tag.split("/")
        expected = f"{PREFIX}/<network>/<container id>/<ifname>"
        if len(parts) != 4 or parts[0] != PREFIX:
            raise ValueError(f"{tag!r} is not a podnet tag: expected {expected}")
        _, network, container_id, ifname = parts
        for label, value in (("network", network), ("container id", container_id)):
            if not ID_PATTERN.fullmatch(value):
                raise ValueError(f"{tag!r}: the {label} {value!r} is not a valid CNI name")
        if not ifname or len(ifname) >= IFNAMSIZ or any(char.isspace() for char in ifname):
            raise ValueError(f"{tag!r}: {ifname!r} is not an interface name")
        return cls(network, container_id, ifname)

    @classmethod
    def recognise(cls, text: str) -> Attachment | None:
        """The attachment `text` tags, or None: an ifalias or a rule comment is free text that
        other programs write too, and theirs are not podnet's to delete."""
        try:
            return cls.parse(text)
        except ValueError:
            return None
