"""WebP renditions of the img/ rasters, and the <picture> that offers them on a page."""

from __future__ import annotations

import io

from PIL import Image, ImageDraw

from webp_images import SIZES, Picture, Rendition, offer_webp, picture, site_path


def drawing(width: int, height: int) -> Image.Image:
    """A screenshot-like image: flat colours and hard edges, what PNG holds on this site."""
    image = Image.new("RGB", (width, height), "#0b1220")
    draw = ImageDraw.Draw(image)
    for top in range(10, height - 20, 30):
        draw.rectangle([10, top, width - 10, top + 16], fill="#60a5fa")
        draw.text((14, top + 2), f"10.244.0.{top} veth-pod eth0", fill="#f1f5f9")
    return image


def encoded(image: Image.Image, kind: str, **options) -> bytes:
    out = io.BytesIO()
    image.save(out, format=kind, **options)
    return out.getvalue()


def decoded(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    assert image.format == "WEBP"
    return image


def test_a_png_becomes_a_smaller_lossless_webp_with_the_same_pixels():
    original = drawing(400, 200)
    data = encoded(original, "PNG")
    made = picture("img/02/shot.png", data)
    assert (made.width, made.height) == (400, 200)
    [webp] = made.renditions
    assert (webp.uri, webp.width) == ("img/02/shot.webp", 400)
    assert len(webp.data) < len(data)
    assert decoded(webp.data).convert("RGB").tobytes() == original.tobytes()


def test_a_wide_jpeg_gets_a_phone_sized_webp_and_a_full_sized_one():
    data = encoded(drawing(1200, 630), "JPEG", quality=95)
    made = picture("img/02/cover.jpeg", data)
    assert [(r.uri, r.width) for r in made.renditions] == [
        ("img/02/cover-720w.webp", 720),
        ("img/02/cover.webp", 1200),
    ]
    assert [decoded(r.data).size for r in made.renditions] == [(720, 378), (1200, 630)]
    assert all(len(r.data) < len(data) for r in made.renditions)


def test_a_narrow_jpeg_gets_only_its_full_sized_webp():
    made = picture("img/a.jpg", encoded(drawing(800, 400), "JPEG", quality=95))
    assert [r.uri for r in made.renditions] == ["img/a.webp"]


def test_an_image_webp_cannot_shrink_is_left_alone():
    # Noise saved as a quality-1 JPEG: a few kB that a quality-80 WebP only makes bigger.
    data = encoded(Image.effect_noise((300, 200), 100).convert("RGB"), "JPEG", quality=1)
    assert picture("img/noise.jpeg", data) == Picture(300, 200, ())


def test_img_sources_resolve_against_the_page_url():
    assert site_path("posts/genesis/", "../../img/02/cover.jpeg") == "img/02/cover.jpeg"
    assert site_path("", "img/02/cover.jpeg") == "img/02/cover.jpeg"
    assert site_path("posts/genesis/", "../../img/02/a%20b.png") == "img/02/a b.png"
    assert site_path("posts/genesis/", "https://example.org/x.png") is None
    assert site_path("posts/genesis/", "/img/x.png") is None


SHOT = Picture(890, 624, (Rendition("img/02/shot.webp", 890, b""),))
COVER = Picture(
    1200,
    630,
    (Rendition("img/02/cover-720w.webp", 720, b""), Rendition("img/02/cover.webp", 1200, b"")),
)
PICTURES = {"img/02/shot.png": SHOT, "img/02/cover.jpeg": COVER}


def test_an_img_of_a_known_png_is_wrapped_in_a_picture_offering_its_webp():
    html = '<p><img alt="ifconfig" src="../../img/02/shot.png" /></p>'
    assert offer_webp(html, "posts/genesis/", PICTURES) == (
        '<p><picture><source type="image/webp" srcset="../../img/02/shot.webp" width="890" '
        'height="624"><img width="890" height="624" alt="ifconfig" src="../../img/02/shot.png" />'
        "</picture></p>"
    )


def test_a_cover_offers_both_widths_with_the_column_sizes():
    html = '<img src="img/02/cover.jpeg" alt="" width="1200" height="630" loading="lazy">'
    assert offer_webp(html, "", PICTURES) == (
        '<picture><source type="image/webp" srcset="img/02/cover-720w.webp 720w, '
        f'img/02/cover.webp 1200w" sizes="{SIZES}" width="1200" height="630">{html}</picture>'
    )


def test_images_the_build_has_no_webp_for_are_left_as_they_are():
    html = (
        '<img src="../../img/02/veth.svg" alt="v">'
        '<img src="https://example.org/x.png" alt="x">'
        '<picture><source srcset="a.avif"><img src="../../img/02/shot.png" alt="s"></picture>'
    )
    assert offer_webp(html, "posts/genesis/", PICTURES) == html


def test_an_animation_is_served_as_it_is():
    frames = [drawing(200, 100), drawing(200, 100).rotate(180)]
    out = io.BytesIO()
    frames[0].save(out, format="PNG", save_all=True, append_images=frames[1:])
    assert picture("img/anim.png", out.getvalue()) == Picture(200, 100, ())


def test_the_authors_own_size_is_kept_and_given_to_the_source_too():
    html = '<img alt="x" src="../../img/02/shot.png" width="300" />'
    assert offer_webp(html, "posts/genesis/", PICTURES) == (
        '<picture><source type="image/webp" srcset="../../img/02/shot.webp" width="300">'
        f"{html}</picture>"
    )


def test_file_names_are_escaped_in_srcset():
    spaced = Picture(10, 10, (Rendition("img/a b,c.webp", 10, b""),))
    html = offer_webp('<img src="img/a%20b%2Cc.png">', "", {"img/a b,c.png": spaced})
    assert 'srcset="img/a%20b%2Cc.webp"' in html
