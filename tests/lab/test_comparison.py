"""Tolerance that still checks: masked volatile values, consistent renaming, `...`."""

# Table cases read best one per line.
# ruff: noqa: E501

from __future__ import annotations

import pytest

from labrun.compare import Renaming, match_line, match_output, normalize

LINK = "2: veth0@if3: <BROADCAST> mtu 1500\n    link/ether {mac} brd ff:ff:ff:ff:ff:ff"
NEIGH = "10.0.0.2 dev veth0 lladdr {mac} REACHABLE"


def lines(text: str) -> list[str]:
    return text.splitlines()


def test_a_random_mac_matches_the_published_one():
    published = lines(LINK.format(mac="02:42:0a:00:00:02"))
    real = lines(LINK.format(mac="7e:91:c4:2b:19:aa"))
    assert match_output(published, real, Renaming()) is not None


def test_the_same_published_mac_must_be_the_same_real_mac_everywhere():
    renaming = match_output(
        lines(LINK.format(mac="02:42:0a:00:00:02")),
        lines(LINK.format(mac="7e:91:c4:2b:19:aa")),
        Renaming(),
    )
    assert renaming is not None
    same = lines(NEIGH.format(mac="7e:91:c4:2b:19:aa"))
    swapped = lines(NEIGH.format(mac="aa:bb:cc:dd:ee:ff"))
    published = lines(NEIGH.format(mac="02:42:0a:00:00:02"))
    assert match_output(published, same, renaming) is not None
    assert match_output(published, swapped, renaming) is None


def test_two_published_macs_cannot_stand_for_one_real_mac():
    published = ["a 02:00:00:00:00:01", "b 02:00:00:00:00:02"]
    real = ["a 7e:91:c4:2b:19:aa", "b 7e:91:c4:2b:19:aa"]
    assert match_output(published, real, Renaming()) is None


def test_broadcast_and_zero_macs_are_literal():
    assert match_line("brd ff:ff:ff:ff:ff:ff", "brd 02:00:00:00:00:01", Renaming()) is None
    assert (
        match_line("link/loopback 00:00:00:00:00:00", "link/loopback 00:00:00:00:00:01", Renaming())
        is None
    )


@pytest.mark.parametrize(
    ("published", "real"),
    [
        pytest.param("inet6 fe80::a00:27ff:fe4a:5e10/64 scope link", "inet6 fe80::5c1e:3bff:fe0a:1/64 scope link", id="ipv6-link-local"),
        pytest.param("64 bytes from 10.0.0.2: icmp_seq=1 ttl=64 time=0.045 ms", "64 bytes from 10.0.0.2: icmp_seq=1 ttl=64 time=12.3 ms", id="ping-time"),
        pytest.param("1 packets transmitted, 1 received, 0% packet loss, time 0ms", "1 packets transmitted, 1 received, 0% packet loss, time 1001ms", id="ping-total"),
        pytest.param("rtt min/avg/max/mdev = 0.045/0.045/0.045/0.000 ms", "rtt min/avg/max/mdev = 0.1/0.2/0.3/0.04 ms", id="ping-rtt"),
        pytest.param("        RX packets 3  bytes 266 (266.0 B)", "        RX packets 1234  bytes 1834567 (1.8 MB)", id="ifconfig-counters"),
        pytest.param('10.0.2.2 - - [15/Jan/2023 00:03:07] "GET / HTTP/1.1" 200 -', '10.0.2.2 - - [29/Nov/2025 03:41:12] "GET / HTTP/1.1" 200 -', id="http-server-clock"),
        pytest.param("veth1a2b3c4d@if2", "vethdeadbeef@if2", id="cni-veth-suffix"),
        pytest.param("CNI_CONTAINERID=" + "ab" * 32, "CNI_CONTAINERID=" + "0f" * 32, id="containerd-id"),
        pytest.param("(sha256:" + "37" * 32 + ")...done", "(sha256:" + "4a" * 32 + ")...done", id="image-digest"),
        pytest.param("netns/cni-20fe04c2-42f0-ae9f-b294-8bb4bc4b5f1e", "netns/cni-c2355568-798f-4cb7-49e5-cde2bfa5e13d", id="containerd-netns"),
    ],
)  # fmt: skip
def test_volatile_values_match_any_value_of_their_kind(published, real):
    assert match_line(published, real, Renaming()) is not None


@pytest.mark.parametrize(
    ("published", "real"),
    [
        pytest.param("inet 10.244.0.2/24", "inet 10.244.0.3/24", id="ipv4-address"),
        pytest.param("64 bytes from 10.0.0.2: icmp_seq=1 ttl=64 time=0.045 ms", "64 bytes from 10.0.0.2: icmp_seq=1 ttl=63 time=0.045 ms", id="ttl"),
        pytest.param("        RX packets 3  bytes 266 (266.0 B)", "        TX packets 3  bytes 266 (266.0 B)", id="rx-is-not-tx"),
        pytest.param("state UP", "state DOWN", id="link-state"),
        pytest.param("id: " + "ab" * 32, "id: " + "ab" * 31 + "a", id="63-hex-digits-are-no-id"),
        pytest.param("K8S_POD_UID=ab7b963a-31a6-500b-948a-9df797a94a9e", "K8S_POD_UID=0b7b963a-31a6-500b-948a-9df797a94a9e", id="pod-uid"),
    ],
)  # fmt: skip
def test_everything_else_must_be_equal(published, real):
    assert match_line(published, real, Renaming()) is None


def test_lines_are_compared_right_stripped_and_trailing_blank_lines_dropped():
    assert normalize("lo               UNKNOWN        \n\n\n") == ["lo               UNKNOWN"]


@pytest.mark.parametrize(
    ("published", "real", "matches"),
    [
        pytest.param(["a", "...", "z"], ["a", "z"], True, id="zero-lines"),
        pytest.param(["a", "...", "z"], ["a", "b", "c", "z"], True, id="many-lines"),
        pytest.param(["...", "z"], ["a", "z", "z"], True, id="leading"),
        pytest.param(["a", "..."], ["a"], True, id="trailing"),
        pytest.param(["a", "...", "z"], ["a", "b"], False, id="missing-last-line"),
        pytest.param(["a"], ["a", "b"], False, id="extra-line-without-wildcard"),
    ],
)
def test_an_ellipsis_line_matches_zero_or_more_lines(published, real, matches):
    assert (match_output(published, real, Renaming()) is not None) is matches
