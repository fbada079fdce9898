"""Serve every raster image of img/ as WebP as well, and photos at phone size too.

The posts keep linking the files Hugo knows (``../img/02/ifconfig.png``); the build adds WebP
versions beside them and wraps each ``<img>`` in a ``<picture>`` whose ``<source>`` offers them,
so browsers that read WebP (all current ones) fetch the small file and the others the original.

- PNG (screenshots, diagrams) becomes lossless WebP: the same pixels, for this article's
  screenshots several times fewer bytes.
- JPEG (photos, the cover) becomes lossy WebP at quality 80, at full size and, when wider than
  960 px, at 720 px: a phone shows an article image about 380 CSS px wide, 665 device px at the
  1.75 pixel ratio of a Moto G-class phone, so it needs no 1200 px cover.
- An image whose WebP would not be smaller is left as it is.

The JPEG stays the ``og:image`` (social networks fetch it, not the page's ``<picture>``). Each
rewritten ``<img>`` also gets its ``width`` and ``height``, so the page keeps its layout while
lazy images arrive. The encoder runs in-process (Pillow); its output is kept by file and
modification time for ``mkdocs serve``'s rebuilds, and between builds by a hash of the image's
bytes, its URI and the encoder's settings (hooks/content_cache.py), so a build re-encodes only
the images that changed.
"""

from __future__ import annotations

import io
import json
import posixpath
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files
from PIL import Image, ImageOps
from PIL import __version__ as PILLOW_VERSION

# MkDocs puts hooks/ on sys.path while it loads a hook.
from content_cache import ContentCache, cache_root, content_key

RASTER_SUFFIXES = (".png", ".jpg", ".jpeg")
LOSSY_QUALITY = 80
PHONE_WIDTH = 720
# JPEGs wider than this (px) get the phone-size version too.
PHONE_VERSION_ABOVE = 960
# How wide an article image shows in Material's blog post layout, measured in Chromium and
# checked by tests/browser/test_image_loading.py: the screen less the 0.8rem margins below 60em,
# beside the table of contents up to 76.25em, then a fixed 592 px column. The browser fetches the
# smallest candidate covering this width times the screen's pixel ratio. (em in a media query:
# 16 px; Material's rem is 20 px.)
SLOT_WIDTHS = (
    ("(min-width: 76.25em)", "592px"),
    ("(min-width: 60em)", "calc(100vw - 274px)"),
    ("", "calc(100vw - 32px)"),
)
SIZES = ", ".join(f"{media} {width}".strip() for media, width in SLOT_WIDTHS)


@dataclass(frozen=True)
class Rendition:
    uri: str  # site URI of the WebP file, beside the original
    width: int
    data: bytes


@dataclass(frozen=True)
class Picture:
    """What the build knows of one raster image: its size and its WebP renditions."""

    width: int
    height: int
    renditions: tuple[Rendition, ...]


def _encode(image: Image.Image, *, lossless: bool) -> bytes:
    out = io.BytesIO()
    if lossless:
        image.save(out, format="WEBP", lossless=True)
    else:
        image.save(out, format="WEBP", quality=LOSSY_QUALITY)
    return out.getvalue()


def picture(uri: str, data: bytes) -> Picture:
    """The WebP renditions of the image ``data`` published at ``uri``, smallest first.

    None for an animation (WebP would keep one frame) or a 16-bit image (not the same pixels
    in 8 bits): those are served as they are.
    """
    with Image.open(io.BytesIO(data)) as opened:
        lossless = opened.format == "PNG"
        if getattr(opened, "is_animated", False) or opened.mode.startswith("I"):
            return Picture(opened.width, opened.height, ())
        image = ImageOps.exif_transpose(opened)
        has_alpha = image.mode in {"RGBA", "LA", "PA"} or "transparency" in image.info
        image = image.convert("RGBA" if has_alpha else "RGB")
    stem = uri.rsplit(".", 1)[0]
    full = _encode(image, lossless=lossless)
    if len(full) >= len(data):
        return Picture(image.width, image.height, ())
    renditions = [Rendition(f"{stem}.webp", image.width, full)]
    if not lossless and image.width > PHONE_VERSION_ABOVE:
        height = round(image.height * PHONE_WIDTH / image.width)
        small = image.resize((PHONE_WIDTH, height), Image.Resampling.LANCZOS)
        renditions.insert(
            0, Rendition(f"{stem}-{PHONE_WIDTH}w.webp", PHONE_WIDTH, _encode(small, lossless=False))
        )
    return Picture(image.width, image.height, tuple(renditions))


# ---------------------------------------------------------------------------- HTML

_PICTURE_OR_IMG = re.compile(r"<picture\b.*?</picture>|<img\b[^>]*>", re.DOTALL)
_SRC = re.compile(r'\ssrc="([^"]+)"')
_WIDTH = re.compile(r'\swidth="([^"]*)"')
_HEIGHT = re.compile(r'\sheight="([^"]*)"')
# A template that knows its own layout says how wide its image shows (overrides/partials/post.html).
_DATA_SIZES = re.compile(r'\sdata-sizes="([^"]*)"')


def site_path(page_url: str, src: str) -> str | None:
    """The site URI an ``<img src>`` on the page at ``page_url`` points to (None: elsewhere)."""
    parts = urlsplit(src)
    if parts.scheme or parts.netloc or src.startswith("/"):
        return None
    return posixpath.normpath(posixpath.join(posixpath.dirname(page_url), unquote(parts.path)))


def _source(src: str, picture: Picture, size: str, sizes: str) -> str:
    folder = src.rsplit("/", 1)[0] + "/" if "/" in src else ""
    candidates = [f"{folder}{quote(posixpath.basename(r.uri))}" for r in picture.renditions]
    if len(candidates) == 1:
        return f'<source type="image/webp" srcset="{candidates[0]}" {size}>'
    widths = [rendition.width for rendition in picture.renditions]
    srcset = ", ".join(f"{c} {w}w" for c, w in zip(candidates, widths, strict=True))
    return f'<source type="image/webp" srcset="{srcset}" sizes="{sizes}" {size}>'


def offer_webp(html: str, page_url: str, pictures: dict[str, Picture]) -> str:
    """Wrap each ``<img>`` of a known raster image in a ``<picture>`` offering its WebP."""

    def rewrite(match: re.Match[str]) -> str:
        tag = match.group(0)
        src = _SRC.search(tag)
        if tag.startswith("<picture") or src is None:
            return tag
        known = pictures.get(site_path(page_url, src.group(1)) or "")
        if known is None:
            return tag
        width, height = _WIDTH.search(tag), _HEIGHT.search(tag)
        if width is None and height is None:
            size = f'width="{known.width}" height="{known.height}"'
            tag = f"<img {size}" + tag[len("<img") :]
        else:  # the author's size ({ width=300 }) wins
            size = " ".join(m.group(0).strip() for m in (width, height) if m is not None)
        data_sizes = _DATA_SIZES.search(tag)
        if data_sizes is not None:
            tag = tag.replace(data_sizes.group(0), "")
        if not known.renditions:
            return tag
        sizes = data_sizes.group(1) if data_sizes else SIZES
        # A chosen <source> lends the <img> its own width and height (HTML's "dimension
        # attribute source"), so it carries the same ones, or the browser reserves no room.
        return f"<picture>{_source(src.group(1), known, size, sizes)}{tag}</picture>"

    return _PICTURE_OR_IMG.sub(rewrite, html)


# ---------------------------------------------------------------------------- cache

# Everything besides the image's bytes and URI that shapes its renditions; a change here (or a
# new Pillow, whose encoder may write other bytes) makes new keys.
_ENCODER = (
    f"webp-v1 pillow={PILLOW_VERSION} quality={LOSSY_QUALITY} "
    f"phone={PHONE_WIDTH} above={PHONE_VERSION_ABOVE}"
)


def to_bytes(made: Picture) -> bytes:
    """One JSON header line (sizes, URIs), then the renditions' bytes one after the other."""
    header = {
        "width": made.width,
        "height": made.height,
        "renditions": [[r.uri, r.width, len(r.data)] for r in made.renditions],
    }
    return json.dumps(header).encode() + b"\n" + b"".join(r.data for r in made.renditions)


def from_bytes(blob: bytes) -> Picture:
    """The Picture ``to_bytes`` wrote; ValueError when ``blob`` is not one whole entry."""
    line, _, body = blob.partition(b"\n")
    header = json.loads(line)
    renditions, offset = [], 0
    for uri, width, size in header["renditions"]:
        renditions.append(Rendition(uri, width, body[offset : offset + size]))
        offset += size
    if offset != len(body):
        raise ValueError("truncated or padded cache entry")
    return Picture(header["width"], header["height"], tuple(renditions))


def cached_picture(uri: str, data: bytes, cache: ContentCache) -> Picture:
    """``picture(uri, data)``, from the cache when an earlier build made it."""
    key = content_key(_ENCODER, uri, data)
    blob = cache.get(key)
    if blob is not None:
        try:
            return from_bytes(blob)
        except (ValueError, KeyError, TypeError):
            pass  # an entry from elsewhere or damaged: make it again
    made = picture(uri, data)
    cache.put(key, to_bytes(made))
    return made


# ---------------------------------------------------------------------------- MkDocs

# Encoding is the slow part of the build, and `mkdocs serve` rebuilds on every save. One entry
# per file:
# (modification time, size, what was made of it).
_CACHE: dict[str, tuple[int, int, Picture]] = {}


def _picture_of(file: File, cache: ContentCache) -> Picture:
    if file.abs_src_path is None:
        # Only files on disk are cached by modification time; img/ holds no generated image.
        raise PluginError(f"{file.src_uri}: an image made during the build cannot be offered")
    path = Path(file.abs_src_path)
    stat = path.stat()
    cached = _CACHE.get(str(path))
    if cached is None or cached[:2] != (stat.st_mtime_ns, stat.st_size):
        try:
            made = cached_picture(file.src_uri, path.read_bytes(), cache)
        # UnidentifiedImageError is an OSError; a decompression bomb is neither.
        except (OSError, ValueError, Image.DecompressionBombError) as error:
            raise PluginError(f"{path}: not a readable image ({error})") from error
        cached = _CACHE[str(path)] = (stat.st_mtime_ns, stat.st_size, made)
    return cached[2]


def publish_webp(files: Files, config: MkDocsConfig) -> dict[str, Picture]:
    """Add the WebP renditions of img/'s raster images to ``files``; return what is known of
    each image (by site URI), for ``offer_webp``. Nothing is added when an image fails."""
    pictures: dict[str, Picture] = {}
    cache = ContentCache(cache_root(config), "webp")
    made_from: dict[str, str] = {}  # WebP URI -> the image it is made from
    for file in list(files):
        if not (file.src_uri.startswith("img/") and file.src_uri.lower().endswith(RASTER_SUFFIXES)):
            continue
        known = _picture_of(file, cache)
        for rendition in known.renditions:
            if rendition.uri in made_from:
                raise PluginError(
                    f"{made_from[rendition.uri]} and {file.src_uri} would both make "
                    f"{rendition.uri}: rename one of them"
                )
            if files.get_file_from_path(rendition.uri) is not None:
                raise PluginError(
                    f"{rendition.uri} is in img/, but the build makes it from {file.src_uri}: "
                    "remove it"
                )
            made_from[rendition.uri] = file.src_uri
        pictures[file.src_uri] = known
    # Added only once every image has been checked: a failed build adds nothing.
    for known in pictures.values():
        for rendition in known.renditions:
            files.append(File.generated(config, rendition.uri, content=rendition.data))
    return pictures
