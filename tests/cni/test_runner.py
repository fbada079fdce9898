"""How podnet runs `ip` and `iptables`: PATH read when a command runs, errors naming the tool.

The tools here are stand-ins: small scripts on a PATH of the test's own, so nothing needs root,
a sandbox or the real tools, and what each one was asked is visible.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from cni import links, nat, runner
from cni.attachment import Attachment
from cni.protocol import CniError, Code

# Stand-ins' names, not programs of this machine (tests/install's inventory of the programs the
# project runs reads literal argvs: these are not among them).
PROBE = "probe"
MISSING = "no-such-tool"


@pytest.fixture
def tools(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Put stand-in tools first on PATH; returns a function that writes one (a sh script)."""
    monkeypatch.setenv("PATH", f"{tmp_path}:/usr/bin:/bin")

    def tool(name: str, script: str) -> None:
        path = tmp_path / name
        path.write_text(f"#!/bin/sh\n{script}\n")
        path.chmod(0o755)

    return tool


def test_a_tool_gets_its_stdin_lines_and_the_c_locale_and_its_stdout_is_returned(tools):
    tools(PROBE, 'echo "LC_ALL=$LC_ALL"; cat')
    assert runner.run([PROBE], ["link show", "addr show"]) == ("LC_ALL=C\nlink show\naddr show\n")


def test_path_is_read_when_the_command_runs_not_when_podnet_is_imported(tmp_path, monkeypatch):
    later = tmp_path / "later"
    later.mkdir()
    (later / PROBE).write_text("#!/bin/sh\necho found\n")
    (later / PROBE).chmod(0o755)
    monkeypatch.setenv("PATH", str(later))  # set after cni.runner was imported
    assert runner.run([PROBE]) == "found\n"


def test_a_failing_tool_is_named_and_its_stderr_is_the_details(tools):
    tools(PROBE, "echo 'RTNETLINK answers: Operation not permitted' >&2; exit 2")
    with pytest.raises(runner.CommandFailed) as raised:
        runner.run([PROBE, "link"])
    assert (raised.value.code, raised.value.msg) == (Code.KERNEL_REFUSED, "probe failed")
    assert raised.value.details == "RTNETLINK answers: Operation not permitted"
    assert raised.value.argv == [PROBE, "link"]


def test_a_missing_tool_says_it_cannot_be_run(tools):
    with pytest.raises(CniError) as raised:
        runner.run([MISSING])
    assert (raised.value.code, raised.value.msg) == (Code.KERNEL_REFUSED, f"cannot run {MISSING}")


def test_ip_failures_are_link_errors_and_file_exists_is_already_exists(tools):
    tools("ip", "echo 'RTNETLINK answers: File exists' >&2; exit 2")
    with pytest.raises(links.LinkError) as raised:
        links.batch(["link add name veth0 type veth peer name eth0"])
    assert (raised.value.code, raised.value.msg) == (Code.ALREADY_EXISTS, "ip failed")


def test_iptables_failures_are_firewall_errors_not_link_errors(tools):
    tools("iptables", "echo 'iptables: No chain/target/match by that name.' >&2; exit 1")
    with pytest.raises(nat.FirewallError) as raised:
        nat.rules_of(Attachment("net", "pod1", "eth0"))
    assert not isinstance(raised.value, links.LinkError)
    assert (raised.value.code, raised.value.msg) == (Code.KERNEL_REFUSED, "iptables failed")


POD_RULE = "-A POSTROUTING -s 10.244.1.{} ! -d 10.244.1.0/24 -m comment --comment podnet/net/{}"
RULES = [
    "-P POSTROUTING ACCEPT",
    POD_RULE.format("2/32", "pod1/eth0 -j MASQUERADE"),
    '-A POSTROUTING -s 10.244.1.3/32 -m comment --comment "podnet/bogus" -j MASQUERADE',
    '-A POSTROUTING -s 10.88.0.0/16 -m comment --comment "someone else\'s" -j MASQUERADE',
    POD_RULE.format("4/32", "pod2/eth0 -j MASQUERADE"),
]


def test_masquerade_rules_are_found_and_deleted_by_their_attachment(tools, tmp_path):
    (tmp_path / "rules").write_text("".join(f"{rule}\n" for rule in RULES))
    tools("iptables", f'echo "$*" >>{tmp_path}/calls; [ "$5" = -S ] && cat {tmp_path}/rules; :')
    pod1, pod2 = Attachment("net", "pod1", "eth0"), Attachment("net", "pod2", "eth0")
    assert nat.rules_of(pod1) == [RULES[1].split()[1:]]
    assert nat.remove_masquerade(lambda found: found == pod2) == [pod2]
    deletion = (tmp_path / "calls").read_text().splitlines()[-1]
    assert deletion == (
        "-w 5 -t nat -D POSTROUTING -s 10.244.1.4/32 ! -d 10.244.1.0/24 -m comment "
        "--comment podnet/net/pod2/eth0 -j MASQUERADE"
    )
    # Every podnet rule, and only those: other programs' rules are left alone.
    assert nat.remove_masquerade(lambda found: True) == [pod1, pod2]
