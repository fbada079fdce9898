"""A transcript runs the reader's tools: Debian's /usr/bin/python3 with Debian's modules.

The project's virtualenv holds the site, the tests and the benchmarks; a reader's VM has none
of it. If `python3` in a transcript were the virtualenv's, the lab's Python (the CRI client,
with Debian's python3-grpcio) would be proven with modules the reader never gets.
"""

from __future__ import annotations

from labrun import sandbox
from testkit import debian
from testkit.paths import LAB_DIR

PROBE = (
    "command -v python3; "
    "python3 -c 'import sys, grpc; print(sys.executable, grpc.__file__, grpc.__version__)'"
)


def test_python3_in_a_transcript_is_the_systems_with_debians_grpc(sandbox_works: None) -> None:
    with sandbox.Sandbox(LAB_DIR, LAB_DIR) as box:
        result = box.run(PROBE, 30)
    assert result.status == 0, result.output
    found, executable, module, version = result.output.split()
    assert (found, executable) == ("/usr/bin/python3", "/usr/bin/python3")
    assert module.startswith("/usr/lib/python3/dist-packages/grpc/"), module
    # Debian's version string, less its Debian revision: 1.51.1-3+b1 -> 1.51.1.
    assert version == debian.field("python3-grpcio", "${Version}").split("-")[0]


def test_the_sandbox_path_holds_no_virtualenv() -> None:
    path = sandbox.environment("token")["PATH"].split(":")
    assert path == sandbox.SYSTEM_PATH.split(":")
    assert not any(".venv" in folder for folder in path)
