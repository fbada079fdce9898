#!/usr/bin/env python3
"""Render the article's terminal screenshots from transcript sections, so they cannot drift.

    python3 lab/render_figures.py          write img/02/*.png
    python3 lab/render_figures.py --check  exit 1 if a figure no longer matches its transcript

The pixels depend only on the section text, this script and the font (Debian's
fonts-dejavu-core). The article shows the same section as text next to each image, for screen
readers and for copying.
"""

from __future__ import annotations

import argparse
import io
import sys
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from labrun import transcript

LAB_DIR = Path(__file__).resolve().parent

REPO = LAB_DIR.parent
FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
FONT_SIZE = 15
LINE_HEIGHT = 20
PADDING = 16
TITLE_BAR = 32
MIN_COLUMNS = 80

BACKGROUND = (30, 30, 36)
TITLE_BACKGROUND = (52, 52, 60)
TITLE_TEXT = (190, 190, 200)
TEXT = (214, 214, 214)
PROMPT = (138, 226, 52)
PATH_BLUE = (114, 159, 207)
BUTTONS = ((237, 106, 94), (245, 191, 79), (98, 197, 84))


@dataclass(frozen=True)
class Figure:
    output: str
    transcript: str
    section: str
    title: str
    user_host: str  # shown before `:~$`, as the reader's terminal would


FIGURES = (
    Figure(
        "img/02/ifconfig.png",
        "genesis-of-pod-ip-addresses/01-setup.console",
        "ifconfig",
        "vagrant@netns-lab: ~",
        "vagrant@netns-lab",
    ),
    Figure(
        "img/02/curl.png",
        "genesis-of-pod-ip-addresses/01-setup.console",
        "curl",
        "you@laptop: ~",
        "you@laptop",
    ),
)


def font(bold: bool = False) -> ImageFont.FreeTypeFont:
    name = "DejaVuSansMono-Bold.ttf" if bold else "DejaVuSansMono.ttf"
    return ImageFont.truetype(str(FONT_DIR / name), FONT_SIZE)


def section_lines(figure: Figure) -> list[str]:
    parsed = transcript.load(LAB_DIR / figure.transcript)
    return parsed.section_text(figure.section)


def render(figure: Figure) -> Image.Image:
    lines = section_lines(figure)
    regular, bold = font(), font(bold=True)
    cell = regular.getlength("M")
    prompt = f"{figure.user_host}:~$ "
    columns = max(MIN_COLUMNS, *(len(prompt) + len(line) for line in lines))
    width = round(2 * PADDING + columns * cell)
    height = TITLE_BAR + 2 * PADDING + LINE_HEIGHT * (len(lines) + 1)
    image = Image.new("RGB", (width, height), BACKGROUND)
    draw = ImageDraw.Draw(image)
    _title_bar(draw, width, figure.title, regular)
    y = TITLE_BAR + PADDING
    for line in [*lines, "$ "]:  # the terminal ends on a fresh prompt
        x: float = PADDING
        text = line
        if line.startswith("$ ") or line == "$":
            draw.text((x, y), figure.user_host, font=bold, fill=PROMPT)
            x += cell * len(figure.user_host)
            draw.text((x, y), ":", font=regular, fill=TEXT)
            draw.text((x + cell, y), "~", font=bold, fill=PATH_BLUE)
            draw.text((x + 2 * cell, y), "$ ", font=regular, fill=TEXT)
            x += 4 * cell
            text = line[2:]
        draw.text((x, y), text, font=regular, fill=TEXT)
        y += LINE_HEIGHT
    return image


def _title_bar(
    draw: ImageDraw.ImageDraw, width: int, title: str, face: ImageFont.FreeTypeFont
) -> None:
    draw.rectangle((0, 0, width, TITLE_BAR - 1), fill=TITLE_BACKGROUND)
    for index, colour in enumerate(BUTTONS):
        centre = PADDING + 6 + index * 20
        draw.ellipse((centre - 6, 10, centre + 6, 22), fill=colour)
    title_width = face.getlength(title)
    draw.text(((width - title_width) / 2, 7), title, font=face, fill=TITLE_TEXT)


def png_bytes(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=False, compress_level=9)
    return buffer.getvalue()


def stale(figure: Figure) -> str | None:
    """Why the committed figure no longer shows its transcript section, or None."""
    path = REPO / figure.output
    if not path.exists():
        return f"{figure.output} is missing"
    with Image.open(path) as stored:
        wanted = render(figure)
        if stored.size != wanted.size or stored.convert("RGB").tobytes() != wanted.tobytes():
            return (
                f"{figure.output} does not show {figure.transcript}:{figure.section}; "
                "run python3 lab/render_figures.py"
            )
    return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare instead of writing")
    args = parser.parse_args(argv)
    if args.check:
        problems = [problem for figure in FIGURES if (problem := stale(figure))]
        for problem in problems:
            print(problem, file=sys.stderr)
        return 1 if problems else 0
    for figure in FIGURES:
        path = REPO / figure.output
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(png_bytes(render(figure)))
        print(f"wrote {figure.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
