"""A build is reproducible, and its cache (hooks/content_cache.py) never changes the site.

Builds of one copy of the sources: cold (an empty cache), warm (the cache the cold build
filled), on another day (SOURCE_DATE_EPOCH: MkDocs' build time), and over a damaged cache. All
of them must be the same site, byte for byte.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from testkit.site_build import Build, build, copy_sources

ANOTHER_DAY = "2000000000"  # 2033-05-18


def tree(site: Path) -> dict[str, str]:
    """Every file of a built site, by path, as a SHA-256 of its bytes."""
    return {
        path.relative_to(site).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(site.rglob("*"))
        if path.is_file()
    }


def differences(first: Build, second: Build) -> list[str]:
    one, two = tree(first.site), tree(second.site)
    return sorted(path for path in one.keys() | two.keys() if one.get(path) != two.get(path))


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_sources(tmp_path_factory.mktemp("cache"))


@pytest.fixture(scope="module")
def cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("build-cache") / "cache"


def checked_build(project: Path, name: str, cache: Path, **env: str) -> Build:
    result = build(
        project, project / name, drafts=True, env={"MKDOCS_BUILD_CACHE": str(cache)} | env
    )
    assert result.returncode == 0, result.output
    return result


@pytest.fixture(scope="module")
def cold(project: Path, cache: Path) -> Build:
    assert not cache.exists()
    return checked_build(project, "site-cold", cache)


@pytest.fixture(scope="module")
def warm(project: Path, cache: Path, cold: Build) -> Build:
    return checked_build(project, "site-warm", cache)


def test_the_cold_build_fills_the_cache(cold: Build, cache: Path) -> None:
    assert list((cache / "jinja").iterdir()), "no compiled template was kept"
    assert list((cache / "webp").iterdir()), "no WebP rendition was kept"


def test_a_warm_build_is_the_cold_build_byte_for_byte(cold: Build, warm: Build) -> None:
    assert tree(cold.site), "the cold build wrote nothing"
    assert differences(cold, warm) == []


def test_the_build_day_shows_nowhere_in_the_site(project: Path, cache: Path, warm: Build) -> None:
    other_day = checked_build(project, "site-other-day", cache, SOURCE_DATE_EPOCH=ANOTHER_DAY)
    assert differences(warm, other_day) == []


def test_a_damaged_cache_entry_is_made_again_not_used(
    project: Path, cache: Path, cold: Build, warm: Build
) -> None:
    for entry in (cache / "webp").iterdir():
        entry.write_bytes(entry.read_bytes()[:-100])  # a write cut short
    damaged = checked_build(project, "site-damaged", cache)
    assert differences(cold, damaged) == []
