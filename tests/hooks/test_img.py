"""The top-level img/ folder maps onto /img/ URIs."""

from __future__ import annotations

from img import image_uris


def test_every_image_below_img_gets_an_img_uri_in_stable_order(tmp_path):
    (tmp_path / "02").mkdir()
    (tmp_path / "02" / "b.png").write_bytes(b"b")
    (tmp_path / "02" / "a.png").write_bytes(b"a")
    (tmp_path / ".DS_Store").write_bytes(b"junk")
    assert [uri for uri, _ in image_uris(tmp_path)] == ["img/02/a.png", "img/02/b.png"]


def test_no_img_folder_means_no_images(tmp_path):
    assert image_uris(tmp_path / "img") == []
