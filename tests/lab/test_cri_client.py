"""lab/cri/kubelet, the article's CRI client: the wire format containerd expects, the requests
the kubelet would send, and what the reader is told, against a recording stand-in runtime.

Everything runs under /usr/bin/python3 (Debian's grpcio and protobuf), as in the transcripts.
"""

from __future__ import annotations

import json
import os
import subprocess
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from testkit.paths import LAB_DIR
from testkit.policy import skip_or_fail

SYSTEM_PYTHON = "/usr/bin/python3"
KUBELET = LAB_DIR / "cri" / "kubelet"
FAKE_RUNTIME = Path(__file__).resolve().parent / "fake_cri.py"

# Field numbers of k8s.io/cri-api pkg/apis/runtime/v1/api.proto (read at commit 791729b) for
# every field of lab/cri/api.proto: a wrong number would make containerd read another field.
UPSTREAM_FIELDS = {
    "VersionRequest": {"version": 1},
    "VersionResponse": {
        "version": 1,
        "runtime_name": 2,
        "runtime_version": 3,
        "runtime_api_version": 4,
    },
    "PodSandboxMetadata": {"name": 1, "uid": 2, "namespace": 3, "attempt": 4},
    "LinuxPodSandboxConfig": {"cgroup_parent": 1},
    "PodSandboxConfig": {
        "metadata": 1,
        "hostname": 2,
        "log_directory": 3,
        "labels": 6,
        "annotations": 7,
        "linux": 8,
    },
    "RunPodSandboxRequest": {"config": 1, "runtime_handler": 2},
    "RunPodSandboxResponse": {"pod_sandbox_id": 1},
    "StopPodSandboxRequest": {"pod_sandbox_id": 1},
    "StopPodSandboxResponse": {},
    "RemovePodSandboxRequest": {"pod_sandbox_id": 1},
    "RemovePodSandboxResponse": {},
    "PodSandboxStatusRequest": {"pod_sandbox_id": 1, "verbose": 2},
    "PodIP": {"ip": 1},
    "PodSandboxNetworkStatus": {"ip": 1, "additional_ips": 2},
    "PodSandboxStatus": {"id": 1, "metadata": 2, "state": 3, "created_at": 4, "network": 5},
    "PodSandboxStatusResponse": {"status": 1, "info": 2},
    "PodSandboxStateValue": {"state": 1},
    "PodSandboxFilter": {"id": 1, "state": 2, "label_selector": 3},
    "ListPodSandboxRequest": {"filter": 1},
    "PodSandbox": {"id": 1, "metadata": 2, "state": 3, "created_at": 4, "labels": 5},
    "ListPodSandboxResponse": {"items": 1},
    "NetworkConfig": {"pod_cidr": 1},
    "RuntimeConfig": {"network_config": 1},
    "UpdateRuntimeConfigRequest": {"runtime_config": 1},
    "UpdateRuntimeConfigResponse": {},
    "StatusRequest": {"verbose": 1},
    "RuntimeCondition": {"type": 1, "status": 2, "reason": 3, "message": 4},
    "RuntimeStatus": {"conditions": 1},
    "StatusResponse": {"status": 1, "info": 2},
}
# Debian's python3 runs without the virtualenv's import roots: it finds lab/cri/stubs.py through
# PYTHONPATH (with_stubs below), as the kubelet finds it beside itself.
DESCRIBE = """
import json
import stubs
api, api_grpc = stubs.load()
fields = {name: {f.name: f.number for f in message.fields}
          for name, message in api.DESCRIPTOR.message_types_by_name.items()}
methods = [m.full_name for m in api.DESCRIPTOR.services_by_name["RuntimeService"].methods]
print(json.dumps({"package": api.DESCRIPTOR.package, "fields": fields, "methods": methods}))
"""


@pytest.fixture(scope="module")
def system_grpc() -> None:
    probe = [SYSTEM_PYTHON, "-c", "import grpc, google.protobuf"]
    if subprocess.run(probe, capture_output=True, check=False, timeout=30).returncode != 0:
        skip_or_fail(
            "/usr/bin/python3 lacks grpc/protobuf: install python3-grpcio python3-protobuf"
        )


def with_stubs(env: dict[str, str]) -> dict[str, str]:
    """``env`` plus the folder of lab/cri/stubs.py on Debian's python3's import path."""
    return env | {"PYTHONPATH": str(LAB_DIR / "cri")}


@pytest.fixture
def cache(tmp_path: Path) -> dict[str, str]:
    """A fresh stub cache, so each test also proves protoc generates the stubs."""
    return {"XDG_CACHE_HOME": str(tmp_path / "cache"), "PATH": os.environ["PATH"]}


def test_the_messages_keep_cri_api_package_and_field_numbers(system_grpc, cache):
    done = subprocess.run(  # noqa: S603
        [SYSTEM_PYTHON, "-c", DESCRIBE], capture_output=True, text=True, check=True, timeout=60,
        env=with_stubs(cache),
    )  # fmt: skip
    described = json.loads(done.stdout)
    assert described["package"] == "runtime.v1"
    assert described["fields"] == UPSTREAM_FIELDS
    assert "runtime.v1.RuntimeService.RunPodSandbox" in described["methods"]
    (generated,) = Path(cache["XDG_CACHE_HOME"], "lab-cri").iterdir()
    assert sorted(path.name for path in generated.glob("*.py")) == ["api_pb2.py", "api_pb2_grpc.py"]


@pytest.fixture
def runtime(tmp_path: Path, system_grpc, cache) -> Iterator[tuple[dict[str, str], Path]]:
    """The stand-in runtime on a unix socket; yields the client's environment and the record."""
    socket, record = tmp_path / "cri.sock", tmp_path / "record.jsonl"
    server = subprocess.Popen(  # noqa: S603
        [SYSTEM_PYTHON, str(FAKE_RUNTIME), str(socket), str(record)], env=with_stubs(cache)
    )
    try:
        deadline = time.monotonic() + 30
        while not socket.exists() and time.monotonic() < deadline and server.poll() is None:
            time.sleep(0.05)
        assert socket.exists(), "the stand-in runtime did not start"
        yield {**cache, "CONTAINER_RUNTIME_ENDPOINT": f"unix://{socket}"}, record
    finally:
        server.terminate()
        server.wait(timeout=10)


def kubelet(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603
        [str(KUBELET), *args], capture_output=True, text=True, check=False, timeout=60, env=env
    )


def requests(record: Path, rpc: str) -> list[dict]:
    lines = [json.loads(line) for line in record.read_text().splitlines()]
    return [line["request"] for line in lines if line["rpc"] == rpc]


def test_run_pod_sandbox_sends_what_the_kubelet_builds_from_a_pod(runtime):
    env, record = runtime
    done = kubelet(env, "RunPodSandbox", "pod1")
    assert (done.returncode, done.stdout, done.stderr) == (0, "1" * 64 + "\n", "")
    (request,) = requests(record, "RunPodSandbox")
    uid = str(uuid.uuid5(uuid.NAMESPACE_OID, "default/pod1"))
    assert request == {
        "config": {
            "metadata": {"name": "pod1", "uid": uid, "namespace": "default"},
            "hostname": "pod1",
            "logDirectory": f"/var/log/pods/default_pod1_{uid}",
            "labels": {
                "io.kubernetes.pod.name": "pod1",
                "io.kubernetes.pod.namespace": "default",
                "io.kubernetes.pod.uid": uid,
            },
            "linux": {"cgroupParent": f"/kubepods/besteffort/pod{uid}"},
        }
    }
    assert kubelet(env, "RunPodSandbox", "pod1").stdout == "2" * 64 + "\n"
    # The same pod name gives the same UID on every run: transcripts can show it.
    assert requests(record, "RunPodSandbox")[1]["config"]["metadata"]["uid"] == uid


def test_a_pod_is_found_by_its_labels_and_its_status_lists_every_ip(runtime):
    env, record = runtime
    kubelet(env, "RunPodSandbox", "pod1")
    kubelet(env, "RunPodSandbox", "pod2")
    done = kubelet(env, "PodSandboxStatus", "pod2")
    assert done.stdout.splitlines() == [
        "id: " + "2" * 64,
        "state: SANDBOX_READY",
        "ip: 10.244.1.2",
        "ip: 2001:db8:244:1::2",
    ]
    assert requests(record, "PodSandboxStatus") == [{"podSandboxId": "2" * 64}]
    selector = {"io.kubernetes.pod.name": "pod2", "io.kubernetes.pod.namespace": "default"}
    assert requests(record, "ListPodSandbox")[-1] == {"filter": {"labelSelector": selector}}


def test_update_runtime_config_sends_the_pod_cidrs_and_status_shows_the_reason(runtime):
    env, record = runtime
    done = kubelet(env, "UpdateRuntimeConfig", "--pod-cidr", "10.244.1.0/24,2001:db8:244:1::/64")
    assert (done.returncode, done.stdout) == (0, "")
    assert requests(record, "UpdateRuntimeConfig") == [
        {"runtimeConfig": {"networkConfig": {"podCidr": "10.244.1.0/24,2001:db8:244:1::/64"}}}
    ]
    assert kubelet(env, "Status").stdout.splitlines() == [
        "RuntimeReady=true",
        "NetworkReady=false reason=NetworkPluginNotReady "
        "message='Network plugin returns error: cni plugin not initialized'",
    ]


def test_a_runtime_error_is_printed_as_the_kubelet_logs_it(runtime):
    env, _ = runtime
    done = kubelet(env, "RunPodSandbox", "broken")
    assert done.returncode == 1 and done.stdout == ""
    assert done.stderr == (
        "rpc error: code = Unknown desc = failed to setup network for sandbox "
        f'"{"1" * 64}": no IP addresses available\n'
    )


def test_stop_and_remove_of_an_unknown_pod_say_so_and_send_nothing(runtime):
    env, record = runtime
    for rpc in ("StopPodSandbox", "RemovePodSandbox", "PodSandboxStatus"):
        done = kubelet(env, rpc, "ghost")
        assert (done.returncode, done.stderr) == (1, "kubelet: no sandbox for pod default/ghost\n")
    assert requests(record, "StopPodSandbox") == requests(record, "RemovePodSandbox") == []


NOWHERE = {"CONTAINER_RUNTIME_ENDPOINT": "unix:///nowhere"}


@pytest.mark.parametrize(
    ("args", "env", "message"),
    [
        pytest.param(["Status"], {}, "kubelet: set CONTAINER_RUNTIME_ENDPOINT", id="no-endpoint"),
        pytest.param(["Reboot"], NOWHERE, "Usage: kubelet RPC", id="unknown-rpc"),
        pytest.param(["RunPodSandbox"], NOWHERE, "Usage: kubelet RPC", id="missing-pod"),
        pytest.param(["UpdateRuntimeConfig", "10.244.1.0/24"], NOWHERE, "Usage:", id="no-flag"),
    ],
)  # fmt: skip
def test_bad_usage_is_exit_2_with_the_reason(system_grpc, cache, args, env, message):
    done = kubelet({**cache, **env}, *args)
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.startswith(message)


def test_a_runtime_that_is_not_there_is_unavailable(system_grpc, cache, tmp_path):
    env = {**cache, "CONTAINER_RUNTIME_ENDPOINT": f"unix://{tmp_path}/none.sock"}
    done = kubelet(env, "Status")
    assert done.returncode == 1
    assert done.stderr.startswith("rpc error: code = Unavailable desc = ")
