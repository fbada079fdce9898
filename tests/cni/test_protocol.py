"""The execution protocol without a network: environment checks, versions, result shapes."""

from __future__ import annotations

import io
import json

import pytest

from cni import protocol
from cni.protocol import CniError, Code

ADD_ENV = {
    "CNI_COMMAND": "ADD",
    "CNI_CONTAINERID": "c1",
    "CNI_NETNS": "/run/netns/pod1",
    "CNI_IFNAME": "eth0",
}
CONF = b'{"cniVersion": "1.1.0", "name": "net", "type": "podnet"}'


def read(env: dict, stdin: bytes = CONF) -> protocol.Request:
    return protocol.read_request(env, io.BytesIO(stdin))


def code_of(env: dict, stdin: bytes = CONF) -> Code:
    with pytest.raises(CniError) as raised:
        read(env, stdin)
    return raised.value.code


def test_a_complete_add_request_is_read():
    request = read({**ADD_ENV, "CNI_ARGS": "IgnoreUnknown=1;K8S_POD_NAME=web"})
    assert (request.command, request.container_id, request.netns, request.ifname) == (
        "ADD",
        "c1",
        "/run/netns/pod1",
        "eth0",
    )
    assert request.args == {"IgnoreUnknown": "1", "K8S_POD_NAME": "web"}


@pytest.mark.parametrize(
    ("command", "present"),
    [
        pytest.param("DEL", ("CNI_CONTAINERID", "CNI_IFNAME"), id="del-needs-no-netns"),
        pytest.param("GC", ("CNI_PATH",), id="gc"),
        pytest.param("STATUS", (), id="status"),
        pytest.param("VERSION", (), id="version"),
    ],
)
def test_each_command_needs_only_the_variables_the_spec_lists(command, present):
    env = {"CNI_COMMAND": command, "CNI_CONTAINERID": "c1", "CNI_IFNAME": "eth0", "CNI_PATH": "/x"}
    env = {key: value for key, value in env.items() if key == "CNI_COMMAND" or key in present}
    assert read(env).command == command


def test_missing_variables_are_all_named_in_the_error():
    with pytest.raises(CniError) as raised:
        read({"CNI_COMMAND": "ADD"})
    assert raised.value.code == Code.INVALID_ENVIRONMENT
    assert "CNI_CONTAINERID, CNI_NETNS, CNI_IFNAME" in raised.value.msg


def test_environment_is_checked_before_stdin_is_decoded():
    assert code_of({"CNI_COMMAND": "ADD"}, b"{not json") == Code.INVALID_ENVIRONMENT


@pytest.mark.parametrize(
    ("version", "command", "code"),
    [
        pytest.param("0.4.0", "ADD", Code.INCOMPATIBLE_VERSION, id="too-old"),
        pytest.param("1.2.0", "ADD", Code.INCOMPATIBLE_VERSION, id="too-new"),
        pytest.param("1.0.0", "GC", Code.INCOMPATIBLE_VERSION, id="gc-is-1.1"),
        pytest.param("1.0.0", "STATUS", Code.INCOMPATIBLE_VERSION, id="status-is-1.1"),
        pytest.param(None, "ADD", Code.DECODING_FAILURE, id="missing"),
        pytest.param(110, "ADD", Code.DECODING_FAILURE, id="a-number"),
    ],
)
def test_version_negotiation(version, command, code):
    stdin = json.dumps({"cniVersion": version, "name": "net"}).encode()
    env = {**ADD_ENV, "CNI_COMMAND": command, "CNI_PATH": "/x"}
    assert code_of(env, stdin) == code


def test_version_accepts_an_empty_stdin_and_echoes_the_requested_version():
    assert read({"CNI_COMMAND": "VERSION"}, b"").config == {}
    assert protocol.version_result({}) == {
        "cniVersion": "1.1.0",
        "supportedVersions": ["1.0.0", "1.1.0"],
    }
    assert protocol.version_result({"cniVersion": "1.0.0"})["cniVersion"] == "1.0.0"


def test_an_unreadable_stdin_is_an_io_failure():
    class Broken(io.RawIOBase):
        def read(self, *_):
            raise OSError(5, "Input/output error")

    with pytest.raises(CniError) as raised:
        protocol.read_request(ADD_ENV, Broken())
    assert raised.value.code == Code.IO_FAILURE


@pytest.mark.parametrize(
    "name",
    ["", "a" * 16, ".", "..", "eth/0", "eth:0", "eth 0", "eth\t0"],
)
def test_interface_names_the_kernel_refuses_are_refused(name):
    with pytest.raises(CniError) as raised:
        protocol.check_ifname("CNI_IFNAME", name, Code.INVALID_ENVIRONMENT)
    assert raised.value.code == Code.INVALID_ENVIRONMENT


def test_the_longest_name_the_kernel_takes_is_fine():
    protocol.check_ifname("CNI_IFNAME", "a" * 15, Code.INVALID_ENVIRONMENT)


def test_error_object_has_the_four_keys_of_the_spec():
    error = CniError(Code.INVALID_CONFIG, "invalid network configuration", "mtu 20")
    document = json.loads(protocol.dumps(protocol.error_result(error, {"cniVersion": "1.0.0"})))
    assert document == {
        "cniVersion": "1.0.0",
        "code": 7,
        "msg": "invalid network configuration",
        "details": "mtu 20",
    }


def test_error_object_falls_back_to_the_newest_version_for_an_unsupported_one():
    error = CniError(Code.INCOMPATIBLE_VERSION, "incompatible CNI versions")
    assert protocol.error_result(error, {"cniVersion": "0.3.1"})["cniVersion"] == "1.1.0"


def test_spec_codes_have_the_spec_numbers():
    assert [int(code) for code in Code if code < 100] == [1, 2, 3, 4, 5, 6, 7, 11, 50, 51]
