"""The reader's Vagrantfile: valid for Vagrant, a supported box, the draft's bridged network,
enough memory, the repo shared, and provisioning through lab/provision.sh."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

import rootfs
from testkit.paths import REPO
from testkit.policy import require_tool
from testkit.vmtest import record_vagrantfile

VAGRANTFILE = REPO / "Vagrantfile"


def vagrant_validate(directory: Path, tmp_path: Path, **env: str) -> subprocess.CompletedProcess:
    vagrant = require_tool("vagrant", "vagrant")
    quiet = {
        # No network: no version checkpoint, no box update check.
        "VAGRANT_CHECKPOINT_DISABLE": "1",
        "VAGRANT_BOX_UPDATE_CHECK_DISABLE": "1",
        # Nothing written to the user's ~/.vagrant.d or to the checkout's .vagrant/.
        "VAGRANT_HOME": str(tmp_path / "vagrant.d"),
        "VAGRANT_DOTFILE_PATH": str(tmp_path / "dot-vagrant"),
        "VAGRANT_CWD": str(directory),
    }
    return subprocess.run(
        [vagrant, "validate", "--ignore-provider"],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
        env={**os.environ, **quiet, **env},
    )


def setting(calls: list[list], path: str) -> object:
    values = [call[1] for call in calls if call[0] == path and len(call) == 2]
    assert values, f"the Vagrantfile never sets {path}"
    return values[-1]


def calls_to(calls: list[list], path: str) -> list[tuple[list, dict]]:
    return [(call[1], call[2]) for call in calls if call[0] == path and len(call) == 3]


@pytest.mark.programs  # vagrant validate
def test_vagrant_validates_the_vagrantfile_without_a_provider(tmp_path: Path) -> None:
    result = vagrant_validate(REPO, tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Vagrantfile validated successfully." in result.stdout


@pytest.mark.programs  # vagrant validate
def test_vagrant_validates_with_the_bridge_interface_named_up_front(tmp_path: Path) -> None:
    result = vagrant_validate(REPO, tmp_path, LAB_BRIDGE="en0: Wi-Fi")
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.programs  # vagrant validate
def test_vagrant_validate_rejects_a_misspelt_setting(tmp_path: Path) -> None:
    """The validation test above is only worth something if validate can fail."""
    broken = tmp_path / "broken"
    broken.mkdir()
    text = VAGRANTFILE.read_text().replace("worker.vm.hostname =", "worker.vm.hostnme =")
    (broken / "Vagrantfile").write_text(text)
    result = vagrant_validate(broken, tmp_path)
    assert result.returncode != 0
    assert "hostnme" in result.stdout + result.stderr


def test_the_box_is_debian_12_the_release_the_tests_verify() -> None:
    calls = record_vagrantfile(VAGRANTFILE)
    assert setting(calls, "config.vm.define.vm.box") == "bento/debian-12"
    assert calls_to(calls, "config.vm.define") == [(["netns-lab"], {})]
    assert setting(calls, "config.vm.define.vm.hostname") == "netns-lab"


def test_the_vm_has_enough_memory_for_the_runtime_lab() -> None:
    calls = record_vagrantfile(VAGRANTFILE)
    assert calls_to(calls, "config.vm.define.vm.provider") == [(["virtualbox"], {})]
    memory = setting(calls, "config.vm.define.vm.provider.memory")
    assert isinstance(memory, int)
    assert memory >= 2048


@pytest.mark.parametrize(
    ("env", "options"),
    [
        pytest.param({}, {}, id="vagrant-asks-which-interface"),
        pytest.param({"LAB_BRIDGE": ""}, {}, id="empty-name-still-asks"),
        pytest.param({"LAB_BRIDGE": "eth0"}, {"bridge": "eth0"}, id="named-interface"),
    ],
)
def test_the_draft_public_network_stays_and_lab_bridge_presets_its_interface(
    env: dict[str, str], options: dict[str, str]
) -> None:
    calls = record_vagrantfile(VAGRANTFILE, env)
    assert calls_to(calls, "config.vm.define.vm.network") == [(["public_network"], options)]


def test_the_repo_is_shared_at_vagrant_and_provisioned_by_lab_provision_sh() -> None:
    calls = record_vagrantfile(VAGRANTFILE)
    assert calls_to(calls, "config.vm.define.vm.synced_folder") == [([".", "/vagrant"], {})]
    provision = calls_to(calls, "config.vm.define.vm.provision")
    assert provision == [(["shell"], {"inline": "bash /vagrant/lab/provision.sh"})]
    # The inline command runs the script from the share, which must be there in the repo.
    assert (REPO / "lab" / "provision.sh").is_file()


def test_the_readers_box_is_the_release_the_test_vm_boots() -> None:
    """Moving one without the other would verify a machine no reader has."""
    boxes = {"bookworm": "bento/debian-12", "trixie": "bento/debian-13"}
    calls = record_vagrantfile(VAGRANTFILE)
    assert setting(calls, "config.vm.define.vm.box") == boxes[rootfs.SUITE]
