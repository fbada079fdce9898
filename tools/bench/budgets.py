"""The budgets of tools/bench/budgets.toml, read by the benchmarks beside this file."""

from __future__ import annotations

import tomllib
from pathlib import Path

BUDGETS_FILE = Path(__file__).with_name("budgets.toml")


def budget(table: str, name: str) -> float:
    """One budget; a missing table or name is an error that names the file and the key."""
    budgets = tomllib.loads(BUDGETS_FILE.read_text(encoding="utf-8"))
    try:
        value = budgets[table][name]
    except KeyError:
        raise SystemExit(f"{BUDGETS_FILE}: no budget [{table}] {name}") from None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise SystemExit(f"{BUDGETS_FILE}: [{table}] {name} must be a number, not {value!r}")
    return value
