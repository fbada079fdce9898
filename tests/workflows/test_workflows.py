"""The GitHub workflows: least privilege, actions pinned by commit, and linters that catch it.

`make lint` runs zizmor and check-jsonschema on .github/workflows/; these tests prove that those
linters, run the way the Makefile runs them, fail on the mistakes they are there for, and check
the project's own rules that no linter enforces (every job has a timeout, a version comment on
each pinned action, write permissions only where Pages deploys).
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from testkit.paths import REPO

WORKFLOWS = sorted((REPO / ".github" / "workflows").glob("*.yml"))
BIN = Path(sys.executable).parent
LINT_TIMEOUT_S = 60
# `uses: owner/name@<40 hex> # vX.Y.Z`: a commit cannot be moved like a tag can.
PINNED = re.compile(r"^\s*(?:- )?uses: [\w.-]+/[\w./-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+$")
# The only write permissions: the Pages deployment's.
DEPLOY_PERMISSIONS = {"pages": "write", "id-token": "write"}
# Each job's time limit cuts a hang; the clean room installs everything twice from the network.
TIMEOUT_LIMIT_MINUTES = {"clean-room.yml": 150}
DEFAULT_TIMEOUT_LIMIT_MINUTES = 60
ROOTFS_BUILDER = REPO / "tools" / "testvm" / "rootfs.py"


def load(path: Path) -> dict:
    # PyYAML reads the key `on` as True (YAML 1.1); the tests do not need it.
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def lint(*workflows: Path) -> list[subprocess.CompletedProcess[str]]:
    """zizmor and check-jsonschema, as `make lint` runs them."""
    commands = [
        [BIN / "zizmor", "--offline", "--quiet", *workflows],
        [BIN / "check-jsonschema", "--builtin-schema", "vendor.github-workflows", *workflows],
    ]
    return [
        subprocess.run(
            [str(arg) for arg in command],
            capture_output=True,
            text=True,
            timeout=LINT_TIMEOUT_S,
            check=False,
        )
        for command in commands
    ]


def test_there_is_a_test_a_pages_and_a_clean_room_workflow():
    assert [path.name for path in WORKFLOWS] == ["clean-room.yml", "pages.yml", "test.yml"]


def test_both_linters_pass_on_the_workflows():
    for result in lint(*WORKFLOWS):
        assert result.returncode == 0, result.stdout + result.stderr


@pytest.fixture
def broken(tmp_path: Path):
    """Write a copy of test.yml with one substitution, for the linters to catch."""

    def copy_with(old: str, new: str) -> Path:
        source = (REPO / ".github" / "workflows" / "test.yml").read_text(encoding="utf-8")
        assert old in source
        (tmp_path / ".github" / "workflows").mkdir(parents=True, exist_ok=True)
        path = tmp_path / ".github" / "workflows" / "test.yml"
        path.write_text(source.replace(old, new), encoding="utf-8")
        return path

    return copy_with


@pytest.mark.parametrize(
    ("old", "new", "linter", "says"),
    [
        pytest.param(
            "actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1 # v7.0.1",
            "actions/checkout@v7",
            0,
            "unpinned-uses",
            id="action-pinned-by-tag",
        ),
        pytest.param(
            "        with:\n          persist-credentials: false\n",
            "",
            0,
            "artipacked",
            id="checkout-keeps-its-token",
        ),
        pytest.param(
            "    permissions:\n      contents: read # the checkout; the tests need nothing else",
            "    permissions: write-all # ",
            0,
            "excessive-permissions",
            id="job-may-write-everything",
        ),
        pytest.param(
            "timeout-minutes: 60", "timeout-minute: 60", 1, "timeout-minute", id="misspelt-key"
        ),
    ],
)
def test_the_linters_fail_on_a_broken_workflow(broken, old, new, linter, says):
    result = lint(broken(old, new))[linter]
    assert result.returncode != 0
    assert says in result.stdout + result.stderr


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda path: path.name)
def test_every_action_is_pinned_by_commit_with_its_version(path):
    uses = [line for line in path.read_text(encoding="utf-8").splitlines() if "uses:" in line]
    assert uses
    for line in uses:
        assert PINNED.match(line), line


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda path: path.name)
def test_least_privilege_timeouts_and_no_kept_credentials(path):
    workflow = load(path)
    assert workflow["permissions"] == {}
    assert "group" in workflow["concurrency"]
    for name, job in workflow["jobs"].items():
        limit = TIMEOUT_LIMIT_MINUTES.get(path.name, DEFAULT_TIMEOUT_LIMIT_MINUTES)
        assert 0 < job["timeout-minutes"] <= limit, name
        writes = {key: value for key, value in job["permissions"].items() if value == "write"}
        assert writes in ({}, DEPLOY_PERMISSIONS), name
        for step in job["steps"]:
            if step.get("uses", "").startswith("actions/checkout@"):
                assert step["with"]["persist-credentials"] is False, name


def test_the_tests_run_the_readmes_command_on_debian_12_with_privileges():
    job = load(REPO / ".github" / "workflows" / "test.yml")["jobs"]["test"]
    assert job["container"]["image"] == "debian:12"
    assert "--privileged" in job["container"]["options"]
    assert job["steps"][-1]["run"].strip() == ".ci/run"
    assert (REPO / ".ci" / "run").read_text(encoding="utf-8").rstrip().endswith("exec make test")


def test_pages_builds_with_the_pages_url_and_deploys_only_from_the_deploy_job():
    workflow = load(REPO / ".github" / "workflows" / "pages.yml")
    assert workflow[True]["push"]["branches"] == ["main"]  # `on:` read as YAML 1.1's true
    build = workflow["jobs"]["build"]
    make = next(step for step in build["steps"] if step.get("run") == "make build")
    assert make["env"]["SITE_URL"] == "${{ steps.pages.outputs.base_url }}/"
    deploy = workflow["jobs"]["deploy"]
    assert deploy["needs"] == "build"
    assert deploy["permissions"] == DEPLOY_PERMISSIONS
    assert deploy["environment"]["name"] == "github-pages"


def test_the_linters_are_in_make_lint():
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    lint_recipe = makefile.split("\nlint:", 1)[1].split("\n\n", 1)[0]
    assert "zizmor --offline --quiet .github/workflows" in lint_recipe
    assert "check-jsonschema --builtin-schema vendor.github-workflows" in lint_recipe


def install_step(job: dict) -> dict:
    """The step that installs the bare machine's prerequisites, before the checkout."""
    return next(step for step in job["steps"] if "apt-get install" in step.get("run", ""))


def test_the_clean_room_starts_from_the_machine_the_tests_run_on():
    """One definition of the bare machine: the test job's container is debian:12 (minbase's
    package set) plus its PREREQUISITES line, and the clean room's root file system is minbase
    plus the packages tools/testvm/rootfs.py reads from that same line."""
    job = load(REPO / ".github" / "workflows" / "test.yml")["jobs"]["test"]
    step = install_step(job)
    workflow_packages = step["env"]["PREREQUISITES"].split()
    # The step installs exactly that line, and nothing else by name.
    install_line = next(line for line in step["run"].splitlines() if "apt-get install" in line)
    assert install_line.split()[-1] == "$PREREQUISITES", install_line
    assert [word for word in install_line.split() if not word.startswith(("-", "$"))] == [
        "apt-get",
        "install",
    ], install_line
    clean_room = subprocess.run(
        [sys.executable, str(ROOTFS_BUILDER), "bare", "--list"],
        capture_output=True,
        text=True,
        check=True,
        timeout=30,
    )
    assert clean_room.stdout.split() == workflow_packages
    builder = ROOTFS_BUILDER.read_text(encoding="utf-8")
    assert '"--variant=minbase"' in builder


def test_the_clean_room_workflow_runs_make_clean_room_weekly_and_on_demand():
    workflow = load(REPO / ".github" / "workflows" / "clean-room.yml")
    triggers = workflow[True]  # `on:` read as YAML 1.1's true
    assert set(triggers) == {"schedule", "workflow_dispatch"}
    assert len(triggers["schedule"]) == 1
    minute, hour, day, month, weekday = triggers["schedule"][0]["cron"].split()
    assert (day, month) == ("*", "*") and weekday.isdigit(), "weekly: one day of the week"
    steps = workflow["jobs"]["clean-room"]["steps"]
    assert any(step.get("run", "").strip() == "sudo make clean-room" for step in steps)


def pages_build_steps() -> list[dict]:
    return load(REPO / ".github" / "workflows" / "pages.yml")["jobs"]["build"]["steps"]


def step_named(steps: list[dict], step_id: str) -> tuple[int, dict]:
    return next((index, step) for index, step in enumerate(steps) if step.get("id") == step_id)


def test_pages_restores_the_browser_lab_image_keyed_on_its_inputs_hash_or_builds_it():
    """The cache key is the folder image.py names after the hash of the image's inputs, so a
    changed input misses and builds; a miss builds it as root in a privileged container."""
    job = load(REPO / ".github" / "workflows" / "pages.yml")["jobs"]["build"]
    steps = job["steps"]
    named_at, named = step_named(steps, "image")
    assert "tools/browserlab/image.py --folder)" in named["run"]
    cache_at, cache = step_named(steps, "cache")
    assert cache["uses"].startswith("actions/cache@")
    assert cache["with"] == {
        "path": "${{ steps.image.outputs.folder }}",
        "key": "${{ steps.image.outputs.name }}",
    }
    build_at, build = next(
        (index, step)
        for index, step in enumerate(steps)
        if step.get("run", "").strip() == "make browser-lab-image"
    )
    assert build["if"] == "steps.cache.outputs.cache-hit != 'true'"
    assert named_at < cache_at < build_at
    assert "--privileged" in job["container"]["options"]


def test_pages_publishes_the_image_with_the_site():
    steps = pages_build_steps()
    make_at, make = next(
        (index, step) for index, step in enumerate(steps) if step.get("run") == "make build"
    )
    assert make["env"]["BROWSER_LAB_IMAGE"] == "${{ steps.image.outputs.folder }}"
    # A restored image's BIOS and emulator are installed before the build publishes them.
    deps_at, deps = next(
        (index, step)
        for index, step in enumerate(steps)
        if "lab/provision.sh tools/browserlab/publish-packages.txt" in step.get("run", "")
    )
    assert "make node_modules/.package-lock.json" in deps["run"]
    assert "if" not in deps
    assert step_named(steps, "cache")[0] < deps_at < make_at
    listed = subprocess.run(
        [str(REPO / "lab" / "provision.sh"), "--list", "tools/browserlab/publish-packages.txt"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
        timeout=30,
    )
    assert set(listed.stdout.split()) == {"seabios", "npm"}
