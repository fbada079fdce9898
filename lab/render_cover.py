"""Draw the posts' covers from what their labs build: img/02, img/03 and img/04/cover.jpeg.

Each cover is a picture of what its post constructs, not a stock photo. The first post's: the
node "netns-lab",
the bridge cni0 (10.244.1.1/24), the pods pod1 and pod2 (each an eth0 in its own network
namespace, wired to the bridge by a veth pair) and the routed, masqueraded way out to an
"internet" namespace on an RFC 5737 documentation range. The second post's ("writing a CNI
plugin"): the runtime sending the five CNI commands to podnet, and podnet's answer giving pod1
its address. The third post's ("pods across nodes"): two nodes on two subnets, a router that
knows no pod route, and the VXLAN tunnel between the nodes' flannel.1 devices.

The output is deterministic (same bytes on every run): fixed size, fixed JPEG settings, no EXIF
or timestamps, fonts from Debian's fonts-dejavu-core. tests/site/test_cover.py regenerates the
images in memory and fails when a committed file is stale.

Usage: python lab/render_cover.py        (writes both covers)
"""

from __future__ import annotations

import argparse
import io
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

REPO = Path(__file__).resolve().parent.parent

# OpenGraph card size; everything is drawn at SCALE x and downsampled for anti-aliasing
# (ImageDraw's shapes are not anti-aliased).
WIDTH, HEIGHT = 1200, 630
SCALE = 2
JPEG_QUALITY = 85
JPEG_SUBSAMPLING = "4:4:4"

# Debian package fonts-dejavu-core.
FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
SANS = FONT_DIR / "DejaVuSans.ttf"
SANS_BOLD = FONT_DIR / "DejaVuSans-Bold.ttf"
MONO = FONT_DIR / "DejaVuSansMono.ttf"
MONO_BOLD = FONT_DIR / "DejaVuSansMono-Bold.ttf"

BACKGROUND = "#0b1220"
NODE_FILL = "#111a2e"
NODE_LINE = "#334766"
POD_FILL = "#15233f"
POD_LINE = "#60a5fa"
CHIP_FILL = "#0b1220"
TEXT = "#f1f5f9"
MUTED = "#a5b4c8"
VETH = "#fbbf24"
BRIDGE = "#14b8a6"
BRIDGE_TEXT = "#04201d"
INTERNET = "#c4b5fd"
CODE_KEY = "#93c5fd"
CODE_VALUE = "#86efac"


@dataclass(frozen=True)
class Box:
    """A rectangle in cover coordinates (1200x630), before scaling."""

    left: int
    top: int
    right: int
    bottom: int

    @property
    def center_x(self) -> int:
        return (self.left + self.right) // 2

    @property
    def center_y(self) -> int:
        return (self.top + self.bottom) // 2


class Canvas:
    """ImageDraw at SCALE x, addressed in cover coordinates."""

    def __init__(self) -> None:
        self.image = Image.new("RGB", (WIDTH * SCALE, HEIGHT * SCALE), BACKGROUND)
        self.draw = ImageDraw.Draw(self.image)
        self._fonts: dict[tuple[Path, int], ImageFont.FreeTypeFont] = {}

    def font(self, path: Path, size: int) -> ImageFont.FreeTypeFont:
        key = (path, size)
        if key not in self._fonts:
            self._fonts[key] = ImageFont.truetype(str(path), size * SCALE)
        return self._fonts[key]

    def box(
        self,
        box: Box,
        *,
        fill: str | None,
        outline: str | None,
        radius: int = 14,
        width: int = 2,
    ) -> None:
        self.draw.rounded_rectangle(
            [c * SCALE for c in (box.left, box.top, box.right, box.bottom)],
            radius=radius * SCALE,
            fill=fill,
            outline=outline,
            width=width * SCALE,
        )

    def dashed_box(self, box: Box, *, fill: str, outline: str, dash: int = 12) -> None:
        self.box(box, fill=fill, outline=None)
        for x in range(box.left + 14, box.right - 14, dash * 2):
            end = min(x + dash, box.right - 14)
            self.line([(x, box.top), (end, box.top)], fill=outline, width=2)
            self.line([(x, box.bottom), (end, box.bottom)], fill=outline, width=2)
        for y in range(box.top + 14, box.bottom - 14, dash * 2):
            end = min(y + dash, box.bottom - 14)
            self.line([(box.left, y), (box.left, end)], fill=outline, width=2)
            self.line([(box.right, y), (box.right, end)], fill=outline, width=2)

    def line(self, points: list[tuple[int, int]], *, fill: str, width: int) -> None:
        self.draw.line([(x * SCALE, y * SCALE) for x, y in points], fill=fill, width=width * SCALE)

    def dot(self, x: int, y: int, *, radius: int, fill: str) -> None:
        self.draw.ellipse(
            [
                (x - radius) * SCALE,
                (y - radius) * SCALE,
                (x + radius) * SCALE,
                (y + radius) * SCALE,
            ],
            fill=fill,
        )

    def text(
        self,
        xy: tuple[int, int],
        text: str,
        *,
        font: Path,
        size: int,
        fill: str,
        anchor: str = "la",
    ) -> None:
        x, y = xy
        self.draw.text(
            (x * SCALE, y * SCALE), text, font=self.font(font, size), fill=fill, anchor=anchor
        )

    def text_width(self, text: str, *, font: Path, size: int) -> int:
        return round(self.draw.textlength(text, font=self.font(font, size)) / SCALE)

    def arrow_head(self, tip: tuple[int, int], *, fill: str, size: int = 12) -> None:
        x, y = tip
        points = [(x, y), (x - size, y - size * 0.6), (x - size, y + size * 0.6)]
        self.draw.polygon([(px * SCALE, py * SCALE) for px, py in points], fill=fill)

    def to_jpeg(self) -> bytes:
        small = self.image.resize((WIDTH, HEIGHT), Image.Resampling.LANCZOS)
        out = io.BytesIO()
        # Fixed encoder settings and no metadata: the bytes depend only on the drawing.
        small.save(
            out,
            format="JPEG",
            quality=JPEG_QUALITY,
            subsampling=JPEG_SUBSAMPLING,
            optimize=True,
            progressive=False,
        )
        return out.getvalue()


def draw_title(canvas: Canvas, title: str, subtitle: str) -> None:
    canvas.text((48, 40), title, font=SANS_BOLD, size=44, fill=TEXT)
    canvas.text((50, 100), subtitle, font=SANS, size=23, fill=MUTED)


def draw_pod(canvas: Canvas, box: Box, name: str, address: str) -> tuple[int, int]:
    """Draw a pod's namespace with its eth0; return where its veth leaves the namespace."""
    canvas.box(box, fill=POD_FILL, outline=POD_LINE, width=2)
    canvas.text((box.left + 20, box.top + 16), name, font=SANS_BOLD, size=28, fill=TEXT)
    canvas.text(
        (box.right - 20, box.top + 26),
        "netns",
        font=MONO,
        size=17,
        fill=MUTED,
        anchor="ra",
    )
    chip = Box(box.left + 20, box.bottom - 62, box.right - 20, box.bottom - 18)
    canvas.box(chip, fill=CHIP_FILL, outline=POD_LINE, radius=10, width=2)
    canvas.text(
        (chip.left + 16, chip.center_y), "eth0", font=MONO_BOLD, size=20, fill=VETH, anchor="lm"
    )
    canvas.text(
        (chip.right - 16, chip.center_y), address, font=MONO, size=20, fill=TEXT, anchor="rm"
    )
    return chip.center_x, box.bottom


def draw_veth(canvas: Canvas, top: tuple[int, int], bottom_y: int, name: str) -> None:
    x, y = top
    canvas.line([(x, y), (x, bottom_y)], fill=VETH, width=5)
    canvas.dot(x, y, radius=7, fill=VETH)
    canvas.dot(x, bottom_y, radius=7, fill=VETH)
    canvas.text(
        (x + 16, (y + bottom_y) // 2), name, font=MONO_BOLD, size=19, fill=VETH, anchor="lm"
    )


def draw_bridge(canvas: Canvas, box: Box) -> None:
    canvas.box(box, fill=BRIDGE, outline=None, radius=12)
    canvas.text(
        (box.left + 22, box.center_y),
        "cni0",
        font=MONO_BOLD,
        size=26,
        fill=BRIDGE_TEXT,
        anchor="lm",
    )
    canvas.text(
        (box.left + 104, box.center_y + 1),
        "bridge",
        font=SANS,
        size=20,
        fill=BRIDGE_TEXT,
        anchor="lm",
    )
    canvas.text(
        (box.right - 22, box.center_y),
        "10.244.1.1/24",
        font=MONO_BOLD,
        size=24,
        fill=BRIDGE_TEXT,
        anchor="rm",
    )


def draw_cni_result(canvas: Canvas, box: Box) -> None:
    """The answer of a CNI ADD: the moment pod1 gets its IP."""
    canvas.box(box, fill=CHIP_FILL, outline=NODE_LINE, radius=12)
    canvas.text(
        (box.left + 18, box.top + 16),
        "CNI ADD pod1 → result",
        font=SANS_BOLD,
        size=19,
        fill=MUTED,
    )
    rows: list[list[tuple[str, str]]] = [
        [('{"ips": [{', TEXT)],
        [('  "address": ', CODE_KEY), ('"10.244.1.2/24"', CODE_VALUE), (",", TEXT)],
        [('  "gateway": ', CODE_KEY), ('"10.244.1.1"', CODE_VALUE)],
        [("}]}", TEXT)],
    ]
    y = box.top + 56
    for row in rows:
        x = box.left + 18
        for chunk, colour in row:
            canvas.text((x, y), chunk, font=MONO, size=17, fill=colour)
            x += canvas.text_width(chunk, font=MONO, size=17)
        y += 28


def draw_internet(canvas: Canvas, box: Box) -> None:
    canvas.dashed_box(box, fill=NODE_FILL, outline=INTERNET)
    canvas.text((box.left + 20, box.top + 16), "internet", font=SANS_BOLD, size=28, fill=TEXT)
    canvas.text(
        (box.right - 20, box.top + 26), "netns", font=MONO, size=17, fill=MUTED, anchor="ra"
    )
    canvas.text(
        (box.left + 20, box.top + 66), "203.0.113.0/24", font=MONO_BOLD, size=21, fill=INTERNET
    )
    canvas.text(
        (box.left + 20, box.top + 96), "RFC 5737, never routed", font=SANS, size=17, fill=MUTED
    )


def draw_route(canvas: Canvas, start: tuple[int, int], end_x: int, node_edge: int) -> None:
    x, y = start
    canvas.line([(x, y), (end_x - 4, y)], fill=INTERNET, width=4)
    canvas.arrow_head((end_x, y), fill=INTERNET, size=16)
    canvas.text(
        ((x + end_x) // 2, y - 12),
        "route",
        font=SANS_BOLD,
        size=18,
        fill=INTERNET,
        anchor="md",
    )
    badge = Box(node_edge - 74, y + 14, node_edge + 74, y + 46)
    canvas.box(badge, fill=BACKGROUND, outline=INTERNET, radius=8, width=2)
    canvas.text(
        (badge.center_x, badge.center_y),
        "MASQUERADE",
        font=MONO_BOLD,
        size=16,
        fill=INTERNET,
        anchor="mm",
    )


def render_cover() -> bytes:
    """Return the cover as JPEG bytes."""
    canvas = Canvas()
    draw_title(
        canvas,
        "Kubernetes: genesis of pod IP addresses",
        "network namespaces  ·  veth pairs  ·  bridge  ·  routing & NAT  ·  CNI",
    )

    node = Box(40, 150, 790, 600)
    canvas.box(node, fill=NODE_FILL, outline=NODE_LINE, radius=18, width=2)
    label_x = node.left + 22
    canvas.text((label_x, node.top + 16), "node", font=SANS, size=18, fill=MUTED)
    label_x += canvas.text_width("node ", font=SANS, size=18) + 4
    canvas.text((label_x, node.top + 14), "netns-lab", font=MONO_BOLD, size=20, fill=TEXT)
    canvas.text(
        (node.right - 22, node.top + 18),
        "root network namespace",
        font=SANS,
        size=17,
        fill=MUTED,
        anchor="ra",
    )

    bridge = Box(76, 480, 754, 552)
    pod1 = draw_pod(canvas, Box(76, 200, 390, 340), "pod1", "10.244.1.2")
    pod2 = draw_pod(canvas, Box(440, 200, 754, 340), "pod2", "10.244.1.3")
    draw_veth(canvas, (pod1[0], pod1[1] - 18), bridge.top, "veth-pod1")
    draw_veth(canvas, (pod2[0], pod2[1] - 18), bridge.top, "veth-pod2")
    draw_bridge(canvas, bridge)

    internet = Box(890, 400, 1160, 560)
    draw_route(canvas, (bridge.right, 516), internet.left, node.right)
    draw_internet(canvas, internet)
    draw_cni_result(canvas, Box(830, 160, 1160, 330))
    return canvas.to_jpeg()


COMMANDS = ("ADD", "CHECK", "DEL", "GC", "STATUS")


def draw_runtime(canvas: Canvas, box: Box) -> None:
    canvas.box(box, fill=NODE_FILL, outline=NODE_LINE, radius=16, width=2)
    canvas.text((box.left + 22, box.top + 18), "containerd", font=MONO_BOLD, size=26, fill=TEXT)
    canvas.text(
        (box.left + 22, box.top + 56), "the runtime, via libcni", font=SANS, size=18, fill=MUTED
    )
    canvas.text(
        (box.left + 22, box.bottom - 44), "CNI_COMMAND=…", font=MONO, size=18, fill=CODE_KEY
    )


def draw_commands(canvas: Canvas, left: int, right: int, top: int) -> None:
    """One arrow per CNI command, from the runtime to the plugin."""
    for index, command in enumerate(COMMANDS):
        y = top + index * 56
        canvas.line([(left, y), (right - 6, y)], fill=VETH, width=4)
        canvas.arrow_head((right, y), fill=VETH, size=14)
        canvas.text(
            ((left + right) // 2, y - 8), command, font=MONO_BOLD, size=19, fill=VETH, anchor="md"
        )


def draw_plugin(canvas: Canvas, box: Box) -> None:
    canvas.box(box, fill=BRIDGE, outline=None, radius=16)
    canvas.text(
        (box.center_x, box.top + 40),
        "podnet",
        font=MONO_BOLD,
        size=34,
        fill=BRIDGE_TEXT,
        anchor="mm",
    )
    for index, line in enumerate(("an executable", "JSON in, JSON out", "Python, stdlib only")):
        canvas.text(
            (box.center_x, box.top + 96 + index * 32),
            line,
            font=SANS,
            size=19,
            fill=BRIDGE_TEXT,
            anchor="mm",
        )


def render_plugin_cover() -> bytes:
    """Return the second post's cover as JPEG bytes."""
    canvas = Canvas()
    draw_title(
        canvas,
        "Kubernetes: writing a CNI plugin",
        "ADD  ·  CHECK  ·  DEL  ·  GC  ·  STATUS  ·  errors, leaks and tests",
    )
    draw_runtime(canvas, Box(40, 180, 330, 560))
    draw_commands(canvas, 330, 520, 262)
    draw_plugin(canvas, Box(520, 230, 790, 500))
    canvas.line([(790, 330), (824, 330)], fill=INTERNET, width=4)
    canvas.arrow_head((830, 330), fill=INTERNET, size=14)
    draw_cni_result(canvas, Box(830, 250, 1160, 420))
    draw_pod(canvas, Box(846, 450, 1160, 590), "pod1", "10.244.1.2")
    return canvas.to_jpeg()


def draw_chip(canvas: Canvas, box: Box, name: str, value: str, colour: str) -> None:
    """A device of a node: its name on the left, its address or MTU on the right."""
    canvas.box(box, fill=CHIP_FILL, outline=colour, radius=10, width=2)
    canvas.text(
        (box.left + 16, box.center_y), name, font=MONO_BOLD, size=20, fill=colour, anchor="lm"
    )
    canvas.text((box.right - 16, box.center_y), value, font=MONO, size=20, fill=TEXT, anchor="rm")


def draw_overlay_node(canvas: Canvas, box: Box, number: int, underlay: str) -> tuple[Box, Box]:
    """A node with its pod, its VXLAN device and its card; return the device and card chips."""
    canvas.box(box, fill=NODE_FILL, outline=NODE_LINE, radius=18, width=2)
    canvas.text((box.left + 22, box.top + 14), f"node{number}", font=MONO_BOLD, size=22, fill=TEXT)
    pod = draw_pod(
        canvas,
        Box(box.left + 24, box.top + 56, box.right - 24, box.top + 190),
        f"pod{number}",
        f"10.244.{number}.2",
    )
    vtep = Box(box.left + 24, box.top + 236, box.right - 24, box.top + 284)
    card = Box(box.left + 24, box.bottom - 70, box.right - 24, box.bottom - 22)
    canvas.line([(pod[0], pod[1] - 18), (pod[0], vtep.top)], fill=BRIDGE, width=5)
    draw_chip(canvas, vtep, "flannel.1", "mtu 1450", VETH)
    draw_chip(canvas, card, "eth0", underlay, INTERNET)
    return vtep, card


def render_overlay_cover() -> bytes:
    """Return the third post's cover as JPEG bytes: two nodes, a router, a VXLAN tunnel."""
    canvas = Canvas()
    draw_title(
        canvas,
        "Kubernetes: pod to pod across nodes",
        "a router  ·  VXLAN  ·  IP-in-IP  ·  tcpdump  ·  the MTU's 50 bytes",
    )
    vtep1, card1 = draw_overlay_node(canvas, Box(40, 160, 440, 600), 1, "192.0.2.1")
    vtep2, card2 = draw_overlay_node(canvas, Box(760, 160, 1160, 600), 2, "198.51.100.2")

    router = Box(520, 478, 680, 600)
    canvas.box(router, fill=NODE_FILL, outline=INTERNET, radius=14, width=2)
    canvas.text(
        (router.center_x, router.top + 30),
        "router",
        font=MONO_BOLD,
        size=22,
        fill=TEXT,
        anchor="mm",
    )
    canvas.text(
        (router.center_x, router.top + 66), "no pod", font=SANS, size=17, fill=MUTED, anchor="mm"
    )
    canvas.text(
        (router.center_x, router.top + 90), "routes", font=SANS, size=17, fill=MUTED, anchor="mm"
    )
    for start, end in ((card1.right, router.left), (router.right, card2.left)):
        canvas.line([(start, card1.center_y), (end, card1.center_y)], fill=INTERNET, width=4)

    y = vtep1.center_y
    canvas.line([(vtep1.right, y), (vtep2.left - 6, y)], fill=VETH, width=6)
    canvas.arrow_head((vtep2.left, y), fill=VETH, size=16)
    canvas.text((600, y - 16), "VXLAN  vni 1", font=MONO_BOLD, size=20, fill=VETH, anchor="md")
    canvas.text((600, y + 16), "UDP 8472, +50 bytes", font=SANS, size=18, fill=MUTED, anchor="ma")
    return canvas.to_jpeg()


# Where each cover goes, and what draws it.
COVERS = {
    REPO / "img" / "02" / "cover.jpeg": render_cover,
    REPO / "img" / "03" / "cover.jpeg": render_plugin_cover,
    REPO / "img" / "04" / "cover.jpeg": render_overlay_cover,
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.parse_args()
    for output, render in COVERS.items():
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_bytes(render())
        print(f"wrote {output.relative_to(REPO)} ({output.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
