"""The browser lab image's parts that need no root and no emulator: the module lists, the
module pruning (dependencies, soft dependencies, load order), the 9p file list, and which
transcripts the browser replays.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
import subprocess
from pathlib import Path

import pytest

import filelist
import image
import kernel
import replay
from testkit.policy import require_tool


def write_modules(tree: Path) -> None:
    """A tiny lib/modules/<release>: 9p needs netfs; libcrc32c asks for crc32c, which two
    modules provide (an alias); an unrelated driver stays out."""
    (tree / "modules.dep").write_text(
        "kernel/fs/9p/9p.ko: kernel/fs/netfs/netfs.ko\n"
        "kernel/fs/netfs/netfs.ko:\n"
        "kernel/lib/libcrc32c.ko:\n"
        "kernel/crypto/crc32c_generic.ko:\n"
        "kernel/arch/x86/crypto/crc32c-intel.ko:\n"
        "kernel/net/netfilter/nf_conntrack.ko: kernel/lib/libcrc32c.ko\n"
        "kernel/drivers/gpu/huge.ko:\n"
    )
    (tree / "modules.softdep").write_text(
        "# Soft dependencies extracted from modules themselves.\nsoftdep libcrc32c pre: crc32c\n"
    )
    (tree / "modules.alias").write_text(
        "alias crc32c crc32c_intel\nalias crc32c crc32c_generic\nalias pci:v1AF4* virtio_pci\n"
    )


def test_a_module_list_names_one_module_a_line(tmp_path: Path) -> None:
    listing = tmp_path / "modules.txt"
    listing.write_text("# comment\nveth   # pairs\n\nbridge nft_compat\n")
    with pytest.raises(kernel.KernelError, match=r"modules.txt:4: one module name a line"):
        kernel.read_list(listing)
    listing.write_text("# comment\nveth   # pairs\n\nbridge\n")
    assert kernel.read_list(listing) == ["veth", "bridge"]


def test_the_shipped_module_lists_read() -> None:
    assert "9p" in kernel.read_list(kernel.BOOT_MODULES)
    assert {"veth", "bridge", "vxlan", "overlay"} <= set(kernel.read_list(kernel.LAB_MODULES))
    assert kernel.read_list(kernel.DEMAND_MODULES) == ["ipip"]
    # A module loaded at boot is no longer loaded on demand: the lists share none.
    assert not set(kernel.read_list(kernel.LAB_MODULES)) & set(
        kernel.read_list(kernel.DEMAND_MODULES)
    )


def test_a_module_kept_for_a_transcript_to_load_is_in_the_tree_and_not_loaded_at_boot(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """demand-modules.txt (ipip: loaded, it puts a tunl0 in every new namespace)."""
    tree, root = tmp_path / "modules", tmp_path / "root"
    tree.mkdir()
    write_modules(tree)
    for name, listed in (("BOOT", "9p"), ("LAB", "nf_conntrack"), ("DEMAND", "huge")):
        (tmp_path / f"{name}.txt").write_text(f"{listed}\n")
        monkeypatch.setattr(kernel, f"{name}_MODULES", tmp_path / f"{name}.txt")
    assert "kernel/drivers/gpu/huge.ko" in kernel.wanted(tree)
    built = kernel.Kernel("6.1.0-1-686", "6.1.1-1", "linux-image-6.1.0-1-686", tmp_path, tree)
    kernel.install(built, root)
    assert (root / "etc" / "browserlab" / "modules").read_text() == "nf_conntrack\n"


def test_pruning_keeps_dependencies_and_every_module_a_soft_dependency_names(
    tmp_path: Path,
) -> None:
    write_modules(tmp_path)
    kept = kernel.dependencies(
        tmp_path, {"kernel/fs/9p/9p.ko", "kernel/net/netfilter/nf_conntrack.ko"}
    )
    assert kept == {
        "kernel/fs/9p/9p.ko",
        "kernel/fs/netfs/netfs.ko",
        "kernel/net/netfilter/nf_conntrack.ko",
        "kernel/lib/libcrc32c.ko",
        # Both crc32c modules: the emulated CPU lacks the instruction crc32c_intel needs.
        "kernel/crypto/crc32c_generic.ko",
        "kernel/arch/x86/crypto/crc32c-intel.ko",
    }


def test_the_initramfs_loads_dependencies_first(tmp_path: Path) -> None:
    write_modules(tmp_path)
    assert kernel.load_order(tmp_path, ["9p", "netfs"]) == [
        "kernel/fs/netfs/netfs.ko",
        "kernel/fs/9p/9p.ko",
    ]
    with pytest.raises(kernel.KernelError, match="no module 'vxlan'"):
        kernel.load_order(tmp_path, ["vxlan"])


def test_the_file_list_is_v86s_format_with_compressed_blobs_named_by_content(
    tmp_path: Path,
) -> None:
    zstd = require_tool("zstd", "zstd")
    root = tmp_path / "root"
    (root / "etc").mkdir(parents=True)
    (root / "etc" / "hostname").write_text("netns-lab\n")
    (root / "etc" / "copy").write_text("netns-lab\n")  # same content: one blob
    secret = root / "etc" / "shadow"
    secret.write_text("root:*:19000:0:99999:7:::\n")
    secret.chmod(0o600)
    (root / "bin").symlink_to("usr/bin")
    os.mkfifo(root / "fifo")  # not a file v86 can serve: left out
    files, size = filelist.write(root, tmp_path / "fs.json", tmp_path / "blobs")
    listing = json.loads((tmp_path / "fs.json").read_text())
    assert listing["version"] == 3
    assert (files, size) == (3, listing["size"]) == (3, 10 + 10 + 26)
    names = [entry[0] for entry in listing["fsroot"]]
    assert names == ["bin", "etc"]
    link = listing["fsroot"][0]
    assert stat.S_ISLNK(link[3]) and link[6] == "usr/bin"
    etc = {entry[0]: entry for entry in listing["fsroot"][1][6]}
    digest = hashlib.sha256(b"netns-lab\n").hexdigest()
    assert etc["hostname"][6] == etc["copy"][6] == f"{digest}.zst"
    assert stat.S_IMODE(etc["shadow"][3]) == 0o600  # the guest sees the real mode
    blobs = sorted(path.name for path in (tmp_path / "blobs").iterdir())
    assert len(blobs) == 2  # hostname and copy share one
    unpacked = subprocess.run(
        [zstd, "-dc", str(tmp_path / "blobs" / f"{digest}.zst")],
        capture_output=True,
        check=True,
        timeout=30,
    )
    assert unpacked.stdout == b"netns-lab\n"
    for blob in (tmp_path / "blobs").iterdir():  # the web server reads every one
        assert stat.S_IMODE(blob.stat().st_mode) == 0o644, blob.name


def test_the_browser_replays_every_transcript_but_the_declared_ones(tmp_path: Path) -> None:
    chosen, excluded = replay.choose([])
    assert chosen, "no transcript runs in the browser"
    assert all(reason for reason in excluded.values())
    assert not set(chosen) & set(excluded)
    every = sorted(str(path.relative_to(replay.REPO)) for path in replay.LAB.rglob("*.console"))
    assert sorted([*chosen, *excluded]) == every
    # The one transcript that loads a module (ipip) comes after every other.
    assert chosen[-1] == "lab/pods-across-nodes/03-ipip.console"


def test_a_transcript_that_loads_a_kernel_module_replays_after_the_others(
    tmp_path: Path,
) -> None:
    """Once ipip is loaded, every new namespace has a tunl0: the others would renumber."""
    loads, plain = tmp_path / "01-ipip.console", tmp_path / "02-veth.console"
    loads.write_text("#lab: requires kernel:ipip modprobe\n$ modprobe ipip\n")
    plain.write_text("$ ip link\n")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(replay, "display", lambda path: path.name)
        chosen, _ = replay.choose([loads, plain])
    assert chosen == ["02-veth.console", "01-ipip.console"]


def test_a_transcript_declared_out_of_the_browser_cannot_be_asked_for(tmp_path: Path) -> None:
    declared = tmp_path / "01-x.console"
    declared.write_text("#lab: not-in browser needs containerd\n$ true\n")
    with pytest.raises(replay.BadInput, match="declares '#lab: not-in browser needs containerd'"):
        replay.choose([declared])
    with pytest.raises(replay.BadInput, match="no such transcript"):
        replay.choose([tmp_path / "missing.console"])


# What the machine building or publishing the image needs: lists of the host's, not the image's.
HOST_LISTS = ("host-packages.txt", "publish-packages.txt")


def test_the_image_is_named_after_what_shapes_it() -> None:
    inputs = {path.name for path in image.INPUTS}
    # Each list and script the image is made from is hashed: editing one builds a new image.
    for path in kernel.HERE.iterdir():
        if path.suffix in (".txt", ".sh") and path.name not in HOST_LISTS:
            assert path.name in inputs, path.name
    assert "package-lock.json" in inputs
    assert image.image_path().name == f"browserlab-{image.fingerprint()}"


def test_each_transcripts_verdict_is_read_from_lab_replays_output() -> None:
    output = (
        "ok    lab/a/01-x.console (24 commands, 93.36 s)\n"
        "FAIL  lab/a/02-y.console (3 commands, 4.50 s)\n"
        "--- lab/a/02-y.console:7 (published)\n+++ (real)\n-one\n+two\n"
        "ERROR lab/a/03-z.console:4: no prompt after 120 s (the command hangs): `sleep 999`\n"
        "1 matched, 1 differ, 1 could not run\n"
    )
    chosen = ["lab/a/01-x.console", "lab/a/02-y.console", "lab/a/03-z.console", "lab/a/04.console"]
    results = {result.transcript: result for result in replay.verdicts(output, chosen)}
    assert [results[name].exit_status for name in chosen] == [0, 1, 1, 1]
    assert results["lab/a/01-x.console"].seconds == 93.36
    assert "+two" in results["lab/a/02-y.console"].output
    assert "no prompt after 120 s" in results["lab/a/03-z.console"].output
    # No verdict at all (lab/replay crashed or hung) is a failure, never a pass.
    assert results["lab/a/04.console"].output.startswith("no verdict from lab/replay")


def test_the_folder_option_prints_the_folder_the_inputs_name_built_or_not(
    capsys: pytest.CaptureFixture[str],
) -> None:
    # The Pages workflow keys its cache on this line.
    assert image.main(["--folder"]) == 0
    printed = Path(capsys.readouterr().out.strip())
    assert printed == image.image_path()
    assert printed.name == f"browserlab-{image.fingerprint()}"
