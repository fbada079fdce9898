"""The committed covers (the posts' `cover.image`) are what lab/render_cover.py draws.

The generator is deterministic (pinned Pillow, fonts from Debian's fonts-dejavu-core, fixed JPEG
settings), so a byte comparison catches a cover that was not regenerated after its source changed.
"""

from __future__ import annotations

import io
from pathlib import Path
from types import ModuleType

import pytest
from PIL import Image

import render_cover  # lab/render_cover.py, on pythonpath
from testkit.paths import REPO
from testkit.policy import skip_or_fail
from testkit.posts import PUBLISHED

MAX_BYTES = 120_000
OPENGRAPH_SIZE = (1200, 630)


@pytest.fixture(scope="module")
def generator() -> ModuleType:
    fonts = (render_cover.SANS, render_cover.SANS_BOLD, render_cover.MONO)
    missing = [str(font) for font in fonts if not font.exists()]
    if missing:
        skip_or_fail(f"fonts-dejavu-core is not installed (missing {', '.join(missing)})")
    return render_cover


# The covers the generator knows, by file; every post's cover must be one of them.
COVERS = sorted(render_cover.COVERS)


@pytest.fixture(scope="module", params=COVERS, ids=[str(c.relative_to(REPO)) for c in COVERS])
def cover(request: pytest.FixtureRequest) -> Path:
    return request.param


@pytest.fixture(scope="module")
def fresh_cover(generator: ModuleType, cover: Path) -> bytes:
    return generator.COVERS[cover]()


def test_generator_draws_every_posts_cover(generator: ModuleType) -> None:
    assert {REPO / post.cover_uri for post in PUBLISHED} == set(generator.COVERS)


def test_committed_cover_is_what_the_generator_draws_today(cover: Path, fresh_cover: bytes) -> None:
    assert cover.read_bytes() == fresh_cover, (
        f"{cover.relative_to(REPO)} is stale: run `.venv/bin/python lab/render_cover.py` "
        "and commit the result"
    )


def test_generator_gives_the_same_bytes_on_every_run(
    generator: ModuleType, cover: Path, fresh_cover: bytes
) -> None:
    assert generator.COVERS[cover]() == fresh_cover


def test_cover_is_an_opengraph_card_without_metadata_and_small(fresh_cover: bytes) -> None:
    image = Image.open(io.BytesIO(fresh_cover))
    assert image.format == "JPEG"
    assert image.size == OPENGRAPH_SIZE
    assert len(fresh_cover) < MAX_BYTES
    assert "exif" not in image.info
    assert not image.getexif()


def test_cover_has_high_contrast_between_background_and_title(fresh_cover: bytes) -> None:
    image = Image.open(io.BytesIO(fresh_cover)).convert("L")
    # The title band: a dark background with near-white text.
    title = image.crop((48, 40, 1060, 92))
    darkest, lightest = title.getextrema()
    assert darkest < 40
    assert lightest > 220
