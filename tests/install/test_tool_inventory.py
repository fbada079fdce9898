"""The collector reads shell as bash does: wrappers, -c scripts, functions, here-documents."""

from __future__ import annotations

import pytest

from tool_inventory import shell_commands


def programs(script: str) -> list[str]:
    return [name for name, _ in shell_commands(script, "test")]


@pytest.mark.parametrize(
    ("script", "expected"),
    [
        ("ip netns exec pod1 ping -c1 10.244.1.3", ["ip", "ping"]),
        ("CNI_COMMAND=ADD CNI_NETNS=/x /usr/lib/cni/bridge < conf", ["/usr/lib/cni/bridge"]),
        ("ip -br link | grep eth0 | sort", ["ip", "grep", "sort"]),
        ("for n in 1 2; do ping -c1 x; done", ["ping"]),
        ("x=$(nft list ruleset)", ["nft"]),
        ("timeout 5 curl -s http://x", ["timeout", "curl"]),
        ("bash -euc 'mount -t tmpfs t /run; exec tcpdump'", ["bash", "mount", "exec", "tcpdump"]),
        ("unshare --mount --propagation private -- bash -c 'ip link'", ["unshare", "bash", "ip"]),
        ("runuser -l reader -c 'cd ~/blog && make test'", ["runuser", "cd", "make"]),
        ("unshare --mount --propagation private sh -c 'umount /x'", ["unshare", "sh", "umount"]),
        ("f() { nft list tables; }\nf ip", ["nft", "ip"]),
        ("cat > a.json <<'EOF'\nnot a command\nEOF\nwc -l a.json", ["cat", "wc"]),
    ],
)
def test_the_programs_of_a_command_line(script: str, expected: list[str]) -> None:
    assert programs(script) == expected
