"""lab/runtime/build-pause-image: an OCI image layout containerd can import, built offline,
byte for byte the same on every run, holding one static pause binary."""

from __future__ import annotations

import hashlib
import io
import json
import shutil
import struct
import subprocess
import tarfile
from pathlib import Path

import pytest

from testkit.paths import LAB_DIR
from testkit.policy import skip_or_fail

BUILD = LAB_DIR / "runtime" / "build-pause-image"
PT_INTERP = 3  # ELF program header type naming a dynamic loader


@pytest.fixture(scope="module")
def image(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not shutil.which("gcc"):
        skip_or_fail("gcc is missing: install gcc libc6-dev (lab/packages.txt)")
    path = tmp_path_factory.mktemp("image") / "pause.tar"
    done = subprocess.run(  # noqa: S603
        [str(BUILD), str(path)], capture_output=True, text=True, check=False, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout == f"{path}: lab.example/pause:1.0, one layer: /pause, statically linked\n"
    return path


def members(path: Path) -> dict[str, bytes]:
    with tarfile.open(path) as tar:
        return {m.name: tar.extractfile(m).read() for m in tar.getmembers() if m.isfile()}


def test_every_blob_is_named_by_its_digest_and_the_chain_leads_to_one_layer(image):
    files = members(image)
    for name, data in files.items():
        if name.startswith("blobs/sha256/"):
            assert name == f"blobs/sha256/{hashlib.sha256(data).hexdigest()}"
    assert json.loads(files["oci-layout"]) == {"imageLayoutVersion": "1.0.0"}
    (entry,) = json.loads(files["index.json"])["manifests"]
    assert entry["annotations"] == {"io.containerd.image.name": "lab.example/pause:1.0"}
    manifest = json.loads(files["blobs/sha256/" + entry["digest"].split(":")[1]])
    config = json.loads(files["blobs/sha256/" + manifest["config"]["digest"].split(":")[1]])
    (layer,) = manifest["layers"]
    assert config["rootfs"]["diff_ids"] == [layer["digest"]]
    assert config["config"]["Entrypoint"] == ["/pause"]
    with tarfile.open(fileobj=io.BytesIO(files["blobs/sha256/" + layer["digest"][7:]])) as tar:
        (pause,) = tar.getmembers()
        assert (pause.name, pause.mode, pause.uid, pause.mtime) == ("pause", 0o755, 0, 0)


def test_the_pause_binary_is_static(image):
    files = members(image)
    manifest_name = json.loads(files["index.json"])["manifests"][0]["digest"][7:]
    layer = json.loads(files[f"blobs/sha256/{manifest_name}"])["layers"][0]["digest"][7:]
    with tarfile.open(fileobj=io.BytesIO(files[f"blobs/sha256/{layer}"])) as tar:
        elf = tar.extractfile("pause").read()
    assert elf[:5] == b"\x7fELF\x02"  # 64-bit ELF
    offset, entry_size, count = (
        struct.unpack_from("<Q", elf, 0x20)[0],
        *struct.unpack_from("<HH", elf, 0x36),
    )
    types = [struct.unpack_from("<I", elf, offset + i * entry_size)[0] for i in range(count)]
    assert PT_INTERP not in types, "a dynamic loader: the image holds no libc to load"


def test_two_builds_are_byte_for_byte_the_same(image, tmp_path):
    again = tmp_path / "again.tar"
    subprocess.run([str(BUILD), str(again)], capture_output=True, check=True, timeout=120)  # noqa: S603
    assert again.read_bytes() == image.read_bytes()


def test_without_an_output_path_it_says_how_to_call_it(tmp_path):
    done = subprocess.run(  # noqa: S603
        [str(BUILD)], capture_output=True, text=True, check=False, timeout=30, cwd=tmp_path
    )
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr.startswith("Usage: build-pause-image OUTPUT.tar")
    assert list(tmp_path.iterdir()) == []
