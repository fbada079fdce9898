"""The sandbox's own cgroup subtree (labrun/cgroups.py): where it goes on cgroup v1 and v2,
how it is removed, and, on a real v2 tree, that runc could use it and nothing stays."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest

from labrun import cgroups
from testkit.paths import LAB_DIR
from testkit.policy import skip_or_fail

HYBRID_MEMBERSHIP = """\
4:memory:/process_api/8729
3:cpu,cpuacct:/
1:name=systemd:/user.slice
0::/user.slice/session-1.scope
"""
HYBRID_MOUNTS = """\
sysfs /sys sysfs rw 0 0
tmpfs /sys/fs/cgroup tmpfs rw,mode=755 0 0
cgroup /sys/fs/cgroup/memory cgroup rw,relatime,memory 0 0
cgroup /sys/fs/cgroup/cpu,cpuacct cgroup rw,relatime,cpu,cpuacct 0 0
cgroup /sys/fs/cgroup/systemd cgroup rw,relatime,name=systemd 0 0
cgroup2 /sys/fs/cgroup/unified cgroup2 rw,relatime 0 0
"""


@pytest.mark.parametrize(
    ("membership", "mounts", "expected"),
    [
        pytest.param(
            HYBRID_MEMBERSHIP,
            HYBRID_MOUNTS,
            [
                "/sys/fs/cgroup/memory/process_api/8729",
                "/sys/fs/cgroup/cpu,cpuacct",
                "/sys/fs/cgroup/systemd/user.slice",
                "/sys/fs/cgroup/unified",
            ],
            id="v1-hybrid-under-own-cgroup-v2-tree-under-its-root",
        ),
        pytest.param(
            "0::/user.slice/session-1.scope\n",
            "cgroup2 /sys/fs/cgroup cgroup2 rw,nsdelegate 0 0\n",
            ["/sys/fs/cgroup"],
            id="v2-under-the-root",
        ),
        pytest.param(
            HYBRID_MEMBERSHIP,
            HYBRID_MOUNTS + "cgroup2 /sys/fs/cgroup cgroup2 rw 0 0\n",
            ["/sys/fs/cgroup"],
            id="v1-trees-hidden-by-a-later-mount",
        ),
        pytest.param("0::/\n", "sysfs /sys sysfs rw 0 0\n", [], id="no-cgroup-mounted"),
    ],
)
def test_the_sandbox_cgroup_goes_where_runc_can_use_it(membership, mounts, expected):
    assert cgroups.placements(membership, mounts) == [Path(path) for path in expected]


def test_remove_takes_a_subtree_deepest_first_and_reports_nothing_left(tmp_path):
    top = tmp_path / "labrun-x"
    (top / "kubepods" / "besteffort" / "pod1").mkdir(parents=True)
    (top / "init").mkdir()
    assert cgroups.remove([top, tmp_path / "never-made"], timeout=1) == []
    assert not top.exists()


# Run by Debian's python3, which finds labrun through PYTHONPATH (the test's env), not the
# virtualenv's import roots.
V2_CHECK = f"""
from pathlib import Path
from labrun import sandbox
with sandbox.Sandbox(Path({str(LAB_DIR)!r}), Path({str(LAB_DIR)!r})) as box:
    seen = box.run(
        "cat /sys/fs/cgroup/cgroup.procs | wc -l; cat /sys/fs/cgroup/init/cgroup.procs | wc -l;"
        " mkdir -p /sys/fs/cgroup/kubepods/pod1 && grep ^0:: /proc/self/cgroup", 10)
    print(seen.output.split(), box.cgroups)
print([str(path) for path in box.cgroups if path.exists()])
"""


def test_on_a_cgroup_v2_tree_the_sandbox_root_is_empty_and_everything_goes(sandbox_works):
    """A private mount namespace with the host's v2 tree on /sys/fs/cgroup stands for a v2
    machine (such as the test VM): the sandbox's processes sit in `init`, so the root runc sees
    holds none (a v2 cgroup with processes cannot enable controllers for its children), and
    the whole subtree is gone after the sandbox."""
    if os.geteuid() != 0:
        skip_or_fail("needs root: the sandbox makes cgroups only as root")
    script = 'mount -t cgroup2 none /sys/fs/cgroup && exec /usr/bin/python3 -c "$0"'
    done = subprocess.run(  # noqa: S603
        ["unshare", "--mount", "--propagation", "private", "sh", "-c", script, V2_CHECK],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
        env=os.environ | {"PYTHONPATH": str(LAB_DIR)},
    )
    assert done.returncode == 0, done.stderr
    seen, after = done.stdout.splitlines()
    in_root, in_init, own = seen.split("[")[1].split("]")[0].replace("'", "").split(", ")
    # No process in the sandbox's root; the shell, the command and unshare itself in init.
    assert (in_root, int(in_init) >= 3, own) == ("0", True, "0::/init")
    assert "/sys/fs/cgroup/labrun-" in seen
    assert after == "[]"
    # Seen from the host too (the v2 tree is the host's): none of this sandbox's cgroups is
    # left. Only its own name is looked for: another checkout's sandbox may be running.
    names = set(re.findall(r"labrun-[0-9a-f]+", seen))
    assert names
    assert [p for name in names for p in Path("/sys/fs/cgroup").rglob(name)] == []
