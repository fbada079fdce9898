"""The terminal screenshots are rendered from transcript sections and cannot drift from them."""

from __future__ import annotations

import pytest

import render_figures
from labrun import transcript
from testkit.paths import LAB_DIR
from testkit.policy import skip_or_fail


@pytest.fixture(autouse=True)
def font_installed() -> None:
    if not (render_figures.FONT_DIR / "DejaVuSansMono.ttf").exists():
        skip_or_fail("the DejaVu Sans Mono font is missing (Debian package fonts-dejavu-core)")


@pytest.mark.parametrize("figure", render_figures.FIGURES, ids=lambda figure: figure.output)
def test_the_committed_figure_shows_its_transcript_section(figure):
    assert render_figures.stale(figure) is None


@pytest.mark.parametrize("figure", render_figures.FIGURES, ids=lambda figure: figure.output)
def test_a_figure_is_stale_once_its_section_changes(figure, monkeypatch):
    lines = render_figures.section_lines(figure)
    changed = [line.replace("1500", "9000").replace("html", "HTML") for line in lines]
    assert changed != lines
    monkeypatch.setattr(render_figures, "section_lines", lambda _: changed)
    assert "does not show" in (render_figures.stale(figure) or "")


def test_rendering_is_byte_for_byte_deterministic():
    figure = render_figures.FIGURES[0]
    first = render_figures.png_bytes(render_figures.render(figure))
    assert render_figures.png_bytes(render_figures.render(figure)) == first


def test_each_figure_has_a_section_the_article_can_show_as_text():
    for figure in render_figures.FIGURES:
        parsed = transcript.load(LAB_DIR / figure.transcript)
        assert parsed.section_text(figure.section)[0].startswith("$ ")
