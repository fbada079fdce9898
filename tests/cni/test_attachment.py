"""podnet's attachment identity: the tag ADD writes and DEL and GC read back, the host veth name."""

from __future__ import annotations

import pytest

from cni.attachment import Attachment

POD = Attachment("k8s-pod-network", "pod1", "eth0")


def test_the_tag_names_network_container_and_interface():
    assert POD.tag == "podnet/k8s-pod-network/pod1/eth0"


def test_a_tag_reads_back_as_the_attachment_that_wrote_it():
    assert Attachment.parse(POD.tag) == POD


def test_the_host_veth_name_stays_what_earlier_podnets_created():
    """DEL finds the veth by computing its name again: a pod ADDed by an earlier podnet must
    still be found, so the derivation cannot change."""
    assert POD.host_veth == "veth75f9d3a4"
    assert len(Attachment("n" * 60, "c" * 64, "e" * 15).host_veth) <= 15  # IFNAMSIZ - 1


@pytest.mark.parametrize(
    ("tag", "complaint"),
    [
        pytest.param("", "is not a podnet tag", id="empty"),
        pytest.param("other/net/pod1/eth0", "is not a podnet tag", id="someone-else's"),
        pytest.param("podnet/net/pod1", "is not a podnet tag", id="three-parts"),
        pytest.param("podnet/net/pod1/eth0/x", "is not a podnet tag", id="five-parts"),
        pytest.param("podnet//pod1/eth0", "the network '' is not", id="no-network"),
        pytest.param("podnet/net/-pod1/eth0", "the container id '-pod1' is not", id="bad-id"),
        pytest.param("podnet/net/pod1/", "'' is not an interface name", id="no-ifname"),
        pytest.param("podnet/net/pod1/" + "e" * 16, "is not an interface name", id="long-ifname"),
    ],
)
def test_a_malformed_tag_is_refused_saying_what_is_wrong(tag, complaint):
    with pytest.raises(ValueError) as raised:
        Attachment.parse(tag)
    assert str(raised.value).startswith(repr(tag))  # the message quotes the tag it refuses
    assert complaint in str(raised.value)
    assert Attachment.recognise(tag) is None


def test_free_text_in_an_ifalias_is_not_mistaken_for_a_tag():
    assert Attachment.recognise("uplink to the rack switch") is None
    assert Attachment.recognise(POD.tag) == POD
