"""The VM's disk image holds the tree as it is: owners, modes and links, read back by debugfs
without mounting anything; a failed build leaves no file behind."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

import rootfs
from labrun.sandbox import SYSTEM_PATH
from testkit.policy import skip_or_fail


@pytest.fixture(autouse=True)
def _needs_e2fsprogs(monkeypatch: pytest.MonkeyPatch) -> None:
    # An ordinary user's PATH lacks /usr/sbin, where e2fsprogs puts them; root's has it.
    monkeypatch.setenv("PATH", f"{os.environ['PATH']}:{SYSTEM_PATH}")
    if not (shutil.which("mkfs.ext4") and shutil.which("debugfs")):
        skip_or_fail("e2fsprogs (mkfs.ext4, debugfs) is not installed")


def debugfs(image: Path, request: str) -> str:
    done = subprocess.run(
        ["debugfs", "-R", request, str(image)],
        capture_output=True,
        text=True,
        check=True,
        timeout=30,
    )
    return done.stdout


def test_the_image_holds_the_tree_with_its_owners_modes_and_links(tmp_path: Path) -> None:
    tree = tmp_path / "lab-bookworm-0123"
    (tree / "etc").mkdir(parents=True)
    (tree / "etc" / "shadow").write_text("root:*:19000::::::\n")
    (tree / "etc" / "shadow").chmod(0o640)
    (tree / "bin").mkdir()
    (tree / "bin" / "sh").write_text("#!/bin/true\n")
    (tree / "bin" / "sh").chmod(0o755)
    (tree / "usr").mkdir()
    (tree / "usr" / "bin").symlink_to("../bin")
    if os.geteuid() == 0:
        os.chown(tree / "etc" / "shadow", 0, 42)

    image = rootfs.image_path(tree)
    rootfs.make_image(tree, image)

    assert image == tmp_path / "lab-bookworm-0123.ext4"
    assert oct(image.stat().st_mode & 0o777) == "0o644"
    assert not list(tmp_path.glob("*.partial"))
    assert debugfs(image, "cat /etc/shadow") == "root:*:19000::::::\n"
    shadow = debugfs(image, "stat /etc/shadow")
    assert "Mode:  0640" in shadow
    if os.geteuid() == 0:
        assert "Group:    42" in shadow
    assert "Mode:  0755" in debugfs(image, "stat /bin/sh")
    assert 'Fast link dest: "../bin"' in debugfs(image, "stat /usr/bin")


def test_a_missing_tree_is_named(tmp_path: Path) -> None:
    missing = tmp_path / "no-such-tree"
    with pytest.raises(rootfs.BuildError, match="cannot measure .*no-such-tree"):
        rootfs.make_image(missing, rootfs.image_path(missing))
    assert list(tmp_path.iterdir()) == []


def half_image_mkfs(folder: Path, *, then: str) -> Path:
    """A folder holding a stand-in mkfs.ext4 that writes half an image (its last argument),
    then runs the shell lines `then`."""
    folder.mkdir()
    mkfs = folder / "mkfs.ext4"
    mkfs.write_text(f'#!/bin/sh\nfor last; do :; done\necho half >"$last"\n{then}\n')
    mkfs.chmod(0o755)
    return folder


def test_a_failed_mkfs_leaves_no_partial_image(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tree = tmp_path / "tree"
    tree.mkdir()
    # It fails after half an image, as a mkfs does when the disk fills up.
    fake = half_image_mkfs(tmp_path / "bin", then="exit 1")
    monkeypatch.setenv("PATH", f"{fake}:{os.environ['PATH']}")
    with pytest.raises(rootfs.BuildError, match="making the disk image tree.ext4 failed"):
        rootfs.make_image(tree, rootfs.image_path(tree))
    assert sorted(path.name for path in tmp_path.iterdir()) == ["bin", "tree"]


def test_a_build_stopped_by_sigterm_leaves_no_partial_image(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A timeout or a killed `make` sends SIGTERM: the half-made image must go, as on error."""
    if os.geteuid() != 0:
        skip_or_fail("building the cached file system needs root")
    cache = tmp_path / "cache"
    monkeypatch.setenv("LAB_ROOTFS_CACHE", str(cache))
    monkeypatch.setattr(rootfs, "CACHE", cache)
    tree = rootfs.lab_path()  # a tree already built: only its image is missing
    (tree / "bin").mkdir(parents=True)
    started = tmp_path / "mkfs-started"
    # It waits for as long as its parent, rootfs.py, lives: nothing outlives the test.
    fake = half_image_mkfs(
        tmp_path / "bin",
        then=f'touch {started}\nwhile kill -0 "$PPID" 2>/dev/null; do sleep 0.1; done',
    )
    builder = subprocess.Popen(
        [sys.executable, str(Path(rootfs.__file__)), "lab"],
        env={**os.environ, "PATH": f"{fake}:{os.environ['PATH']}"},
        stdout=subprocess.DEVNULL,
    )
    try:
        for _ in range(300):
            if started.exists():
                break
            time.sleep(0.1)
        assert started.exists(), "mkfs.ext4 never started"
        builder.terminate()
        assert builder.wait(timeout=30) != 0
    finally:
        builder.kill()
        builder.wait()
    assert sorted(path.name for path in cache.iterdir()) == [".build.lock", tree.name]


# In a mount namespace of its own (nothing it mounts is seen outside, or outlives it): a tree
# with a mount inside, as a killed debootstrap leaves its /proc, is removed whole.
REMOVE_WITH_A_MOUNT_INSIDE = """
import subprocess, sys
from pathlib import Path
import rootfs
tree = Path(sys.argv[1])
(tree / "proc").mkdir(parents=True)
subprocess.run(["mount", "-t", "tmpfs", "tmpfs", str(tree / "proc")], check=True)
(tree / "proc" / "self").write_text("a file on the mount")
assert rootfs.mounts_under(tree) == [str(tree / "proc")]
rootfs.remove(tree)
print("left:", tree.exists(), rootfs.mounts_under(tree))
"""


def test_a_tree_left_with_a_mount_inside_is_removed_whole(tmp_path: Path) -> None:
    if shutil.which("unshare") is None:
        skip_or_fail("util-linux's unshare is not installed")
    done = subprocess.run(
        ["unshare", "--map-root-user", "--mount", "--propagation", "private"]
        + [sys.executable, "-c", REMOVE_WITH_A_MOUNT_INSIDE, str(tmp_path / "browserlab-x")],
        check=False,
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)},
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "left: False []"
