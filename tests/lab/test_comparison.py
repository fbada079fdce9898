"""Tolerance that still checks: masked volatile values, consistent renaming, `...`."""

# Table cases read best one per line.
# ruff: noqa: E501

from __future__ import annotations

import re
from pathlib import Path

import pytest

from labrun import run, transcript
from labrun.compare import SCAN_RE, Renaming, match_line, match_output, normalize, pinned
from testkit.paths import LAB_DIR

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
        pytest.param("length 148: 192.0.2.1.47456 > 198.51.100.2.8472: VXLAN, flags [I] (0x08), vni 1", "length 148: 192.0.2.1.39117 > 198.51.100.2.8472: VXLAN, flags [I] (0x08), vni 1", id="vxlan-source-port"),
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
        pytest.param("192.0.2.1.8472 > 198.51.100.2.8472: VXLAN", "192.0.2.1.8472 > 198.51.100.3.8472: VXLAN", id="vxlan-destination"),
        pytest.param("192.0.2.1.47456 > 198.51.100.2.53: UDP", "192.0.2.1.39117 > 198.51.100.2.53: UDP", id="udp-port-not-to-vxlan"),
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


# A MAC the transcript sets itself, as `ip link` prints it back.
SET_MAC = "ip link add veth0 address 02:00:5e:00:00:64 type veth peer name veth1"
SHOWN = "veth0@veth1      DOWN           {mac} <BROADCAST,MULTICAST,M-DOWN>"


def test_a_mac_a_command_sets_must_be_shown_exactly_as_set():
    set_by_the_command = pinned([SET_MAC])
    published = [SHOWN.format(mac="02:00:5e:00:00:64")]
    other = [SHOWN.format(mac="02:00:5e:00:00:65")]
    assert match_output(published, published, set_by_the_command) is not None
    # The page shows the pinned MAC; the machine printed another one.
    assert match_output(published, other, set_by_the_command) is None
    # The page shows another MAC where the machine printed the pinned one.
    assert match_output(other, published, set_by_the_command) is None
    # Without the pin both pass: a MAC is volatile wherever no command sets it.
    assert match_output(published, other, Renaming()) is not None


def test_a_pinned_value_stays_literal_after_other_values_were_renamed():
    renaming = match_output(["a 7e:91:c4:2b:19:aa"], ["a 5e:00:00:00:00:01"], pinned([SET_MAC]))
    assert renaming is not None
    # A new published MAC may not stand for the pinned one, even where no binding forbids it.
    assert match_line("b 7e:91:c4:2b:19:bb", "b 02:00:5e:00:00:64", renaming) is None
    assert match_line("b 02:00:5e:00:00:64", "b 02:00:5e:00:00:64", renaming) is not None


def mutated(value: str) -> str:
    """The value with its last hex digit changed: same kind, another value."""
    return value[:-1] + ("0" if value[-1] != "0" else "1")


def pinned_values_shown() -> list[object]:
    """(transcript, command, value) for every pinned value a real transcript's output shows."""
    cases = []
    for path in sorted(LAB_DIR.rglob("*.console")):
        parsed = transcript.load(path)
        pins = pinned(command.text for command in parsed.commands).pinned
        for command in parsed.commands:
            shown = {m.group() for line in command.expected for m in SCAN_RE.finditer(line)}
            for _, value in sorted(pin for pin in pins if pin[1] in shown):
                name = f"{path.relative_to(LAB_DIR)}:{command.line}:{value}"
                cases.append(pytest.param(path, command.line, value, id=name))
    return cases


PINNED_SHOWN = pinned_values_shown()


def test_the_article_shows_some_pinned_values():
    assert len(PINNED_SHOWN) >= 2, "01-setup.console shows the MACs it sets"


@pytest.mark.parametrize(("path", "line", "value"), PINNED_SHOWN)
def test_changing_a_pinned_value_in_a_real_transcripts_output_fails_the_comparison(
    path: Path, line: int, value: str
):
    """The transcript's own output stands for what the machine prints (it passes the replay);
    a page that showed the pinned value changed must not match it."""
    parsed = transcript.load(path)
    renaming = pinned(command.text for command in parsed.commands)
    command = next(command for command in parsed.commands if command.line == line)
    changed = [
        re.sub(rf"(?<![0-9a-f:]){re.escape(value)}(?![0-9a-f:])", mutated(value), text)
        for text in command.expected
    ]
    assert changed != command.expected
    assert match_output(command.expected, command.expected, renaming) is not None
    assert match_output(changed, command.expected, renaming) is None


def test_a_replay_fails_when_the_page_shows_another_mac_than_the_command_set(
    write_transcript, fixture_lab, sandbox_works
):
    body = f"$ {SET_MAC}\n$ ip -br link show veth0\n"
    truthful = write_transcript("pinned.console", body + SHOWN.format(mac="02:00:5e:00:00:64"))
    assert run.replay(transcript.load(truthful), fixture_lab).ok
    lying = write_transcript("lying.console", body + SHOWN.format(mac="02:00:5e:00:00:65"))
    outcome = run.replay(transcript.load(lying), fixture_lab)
    assert [result.command.line for result in outcome.mismatches] == [2]
