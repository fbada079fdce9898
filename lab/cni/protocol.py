"""The CNI execution protocol: environment and stdin in, one JSON document out.

Everything a runtime and a plugin agree on lives here: the `CNI_*` variables each command
needs (SPEC "Section 2: Parameters" and the per-command "Input" lists), the error codes (SPEC
"Section 5: Error"), version negotiation (SPEC "Version considerations") and how results and
errors are written. Besides this module, only the executable `podnet` touches the environment
and the output (it hands `os.environ` and stdin over, names CNI_COMMAND in its log line and
writes what this module formats), and `runner` reads PATH when it starts a tool, to pass it on.

Start-up time matters: a runtime runs the plugin once per pod, so this module imports only
what `json` already loads (`re`, `enum`), and `typing` for the names of JSON's shapes.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Mapping
from enum import IntEnum
from typing import IO, Any

# A decoded JSON object: the configuration, a result, what `ip -json` prints.
JsonObject = dict[str, Any]

SUPPORTED_VERSIONS = ("1.0.0", "1.1.0")
# GC and STATUS arrived with spec 1.1.0: a 1.0.0 configuration cannot ask for them.
NEEDS_VERSION = {"GC": "1.1.0", "STATUS": "1.1.0"}

# SPEC Section 2, "CNI operations": the variables each command must get.
REQUIRED_ENV = {
    "ADD": ("CNI_CONTAINERID", "CNI_NETNS", "CNI_IFNAME"),
    "DEL": ("CNI_CONTAINERID", "CNI_IFNAME"),
    "CHECK": ("CNI_CONTAINERID", "CNI_NETNS", "CNI_IFNAME"),
    "GC": ("CNI_PATH",),
    "STATUS": (),
    "VERSION": (),
}

# SPEC Section 2, "Parameters": a container ID starts with an alphanumeric character, then
# alphanumerics, underscores, dots and hyphens. Network names follow the same rule.
ID_PATTERN = re.compile(r"[a-zA-Z0-9][a-zA-Z0-9_.\-]*")
IFNAMSIZ = 16  # the kernel's limit, terminating NUL included: 15 usable characters


class Code(IntEnum):
    """SPEC Section 5, "Error": 0-99 are the spec's, 100+ belong to the plugin."""

    INCOMPATIBLE_VERSION = 1
    UNSUPPORTED_FIELD = 2
    UNKNOWN_CONTAINER = 3
    INVALID_ENVIRONMENT = 4
    IO_FAILURE = 5
    DECODING_FAILURE = 6
    INVALID_CONFIG = 7
    TRY_AGAIN_LATER = 11
    NOT_AVAILABLE = 50
    LIMITED_CONNECTIVITY = 51
    # podnet's own codes
    ALREADY_EXISTS = 100
    NO_FREE_ADDRESS = 101
    CHECK_FAILED = 102
    KERNEL_REFUSED = 103
    INTERNAL = 999  # a bug in podnet (libcni's Go plugins use the same number)


class CniError(Exception):
    """An error the runtime must see: printed on stdout as SPEC Section 5's error object."""

    def __init__(self, code: Code, msg: str, details: str = "") -> None:
        super().__init__(f"{msg}: {details}" if details else msg)
        self.code = code
        self.msg = msg
        self.details = details


class Request:
    """One invocation: the command, its attachment parameters and the raw configuration."""

    __slots__ = ("command", "container_id", "netns", "ifname", "args", "path", "config")

    def __init__(self, command: str, environ: Mapping[str, str], config: JsonObject) -> None:
        self.command = command
        self.container_id = environ.get("CNI_CONTAINERID", "")
        self.netns = environ.get("CNI_NETNS", "")
        self.ifname = environ.get("CNI_IFNAME", "")
        self.args = parse_args(environ.get("CNI_ARGS", ""))
        self.path = environ.get("CNI_PATH", "")
        self.config = config

    @property
    def cni_version(self) -> str:
        version = self.config.get("cniVersion")
        return version if isinstance(version, str) else SUPPORTED_VERSIONS[-1]


def read_request(environ: Mapping[str, str], stream: IO[bytes]) -> Request:
    """Validate the environment, then decode stdin; raises CniError with the spec's code."""
    command = environ.get("CNI_COMMAND", "")
    if command not in REQUIRED_ENV:
        raise CniError(
            Code.INVALID_ENVIRONMENT,
            "invalid CNI_COMMAND",
            f"CNI_COMMAND={command!r}; expected one of {', '.join(REQUIRED_ENV)}",
        )
    missing = [name for name in REQUIRED_ENV[command] if not environ.get(name)]
    if missing:
        raise CniError(
            Code.INVALID_ENVIRONMENT,
            f"required environment variables missing: {', '.join(missing)}",
            f"{command} needs {', '.join(REQUIRED_ENV[command])}",
        )
    if "CNI_CONTAINERID" in REQUIRED_ENV[command]:
        check_container_id(environ["CNI_CONTAINERID"])
    if "CNI_IFNAME" in REQUIRED_ENV[command]:
        check_ifname("CNI_IFNAME", environ["CNI_IFNAME"], Code.INVALID_ENVIRONMENT)
    try:
        # VERSION from a terminal: nobody is going to type a configuration, do not wait for one.
        typed = command == "VERSION" and stream.isatty()
        stdin = b"" if typed else stream.read()
    except OSError as error:
        raise CniError(Code.IO_FAILURE, "cannot read the configuration", str(error)) from None
    config = decode_config(stdin, allow_empty=command == "VERSION")
    request = Request(command, environ, config)
    if command != "VERSION":
        check_version(config, command)
    return request


def decode_config(stdin: bytes, *, allow_empty: bool = False) -> JsonObject:
    """stdin must hold one JSON object (VERSION may get nothing at all)."""
    if allow_empty and not stdin.strip():
        return {}
    try:
        config: object = json.loads(stdin)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise CniError(
            Code.DECODING_FAILURE, "cannot decode the configuration", str(error)
        ) from None
    if not isinstance(config, dict):
        raise CniError(
            Code.DECODING_FAILURE,
            "cannot decode the configuration",
            f"expected a JSON object, got {type(config).__name__}",
        )
    return config


def check_version(config: JsonObject, command: str) -> None:
    """SPEC "Version considerations": serve only versions we implement, and refuse a command
    the configuration's version does not define (GC and STATUS need 1.1.0)."""
    version = config.get("cniVersion")
    if not isinstance(version, str):
        raise CniError(
            Code.DECODING_FAILURE,
            "cannot decode the configuration's cniVersion",
            f"cniVersion must be a string, got {json.dumps(version)}",
        )
    if version not in SUPPORTED_VERSIONS:
        raise CniError(
            Code.INCOMPATIBLE_VERSION,
            "incompatible CNI versions",
            f"config is {version!r}, plugin supports {', '.join(SUPPORTED_VERSIONS)}",
        )
    needed = NEEDS_VERSION.get(command)
    if needed and _version_tuple(version) < _version_tuple(needed):
        raise CniError(
            Code.INCOMPATIBLE_VERSION,
            f"config version {version} does not allow {command}",
            f"{command} needs cniVersion {needed} or later",
        )


def _version_tuple(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split("."))


def check_container_id(value: str) -> None:
    if not ID_PATTERN.fullmatch(value):
        raise CniError(
            Code.INVALID_ENVIRONMENT,
            "invalid CNI_CONTAINERID",
            f"{value!r} must start with a letter or digit, then letters, digits, '_', '.', '-'",
        )


def check_ifname(label: str, value: str, code: Code) -> None:
    """The kernel's rules for an interface name (net/core/dev.c: dev_valid_name)."""
    problem = None
    if not value:
        problem = "is empty"
    elif len(value) >= IFNAMSIZ:
        problem = f"is {len(value)} characters long, the kernel allows {IFNAMSIZ - 1}"
    elif value in (".", ".."):
        problem = "cannot be '.' or '..'"
    elif any(char in "/:" or char.isspace() for char in value):
        problem = "contains '/', ':' or whitespace"
    if problem:
        raise CniError(code, f"invalid {label}", f"{value!r} {problem}")


def parse_args(text: str) -> dict[str, str]:
    """CNI_ARGS is `K=V;K=V` (SPEC Section 2). Kubernetes passes `IgnoreUnknown=1` and pod
    names; podnet only logs them, so unknown keys are never an error here."""
    args = {}
    for pair in filter(None, text.split(";")):
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise CniError(
                Code.INVALID_ENVIRONMENT, "invalid CNI_ARGS", f"{pair!r} is not KEY=VALUE"
            )
        args[key] = value
    return args


def version_result(requested: JsonObject) -> JsonObject:
    """SPEC Section 5, "VERSION Success": echo the input's cniVersion, list ours."""
    version = requested.get("cniVersion")
    if not isinstance(version, str):
        version = SUPPORTED_VERSIONS[-1]
    return {"cniVersion": version, "supportedVersions": list(SUPPORTED_VERSIONS)}


def error_result(error: CniError, config: JsonObject | None) -> JsonObject:
    version = (config or {}).get("cniVersion")
    if not isinstance(version, str) or version not in SUPPORTED_VERSIONS:
        version = SUPPORTED_VERSIONS[-1]
    return {
        "cniVersion": version,
        "code": int(error.code),
        "msg": error.msg,
        "details": error.details,
    }


def dumps(document: JsonObject) -> str:
    """Indented like the reference plugins' output, so the two read the same."""
    return json.dumps(document, indent=4) + "\n"


def log(message: str) -> None:
    """Logs go to stderr: stdout belongs to the result (SPEC Section 5)."""
    sys.stderr.write(f"podnet: {message}\n")
