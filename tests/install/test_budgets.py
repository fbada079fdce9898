"""Budgets live in one file, tools/bench/budgets.toml, and every one of them is in use.

A benchmark prints PASS or FAIL against its budgets; a number written in the script itself, or a
budget no script reads any more, is how the two drift apart.
"""

from __future__ import annotations

import re
import tomllib

from testkit.paths import REPO

BENCH = REPO / "tools" / "bench"
BUDGETS = tomllib.loads((BENCH / "budgets.toml").read_text(encoding="utf-8"))
READ = re.compile(r'budget\(\s*"(?P<table>\w+)",\s*"(?P<name>\w+)"\s*\)')
# A module-level limit written as a number: `MAX_X = 12`, `TARGET_S = 1.0`, `MIN_SCORE = 100`.
HARD_CODED = re.compile(r"^(?:MAX|MIN|TARGET)_\w* = [0-9][0-9_.]*\s*(?:#.*)?$", re.M)


def scripts() -> dict[str, str]:
    return {path.name: path.read_text(encoding="utf-8") for path in BENCH.glob("*.py")}


def test_every_budget_is_read_by_a_benchmark() -> None:
    read = {(m["table"], m["name"]) for text in scripts().values() for m in READ.finditer(text)}
    defined = {(table, name) for table, names in BUDGETS.items() for name in names}
    assert defined - read == set(), "budgets no benchmark reads"
    assert read - defined == set(), "budgets read but not in budgets.toml"


def test_no_benchmark_writes_its_own_limit() -> None:
    found = {name: HARD_CODED.findall(text) for name, text in scripts().items()}
    assert {name: lines for name, lines in found.items() if lines} == {}
