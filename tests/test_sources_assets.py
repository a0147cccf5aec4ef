"""Images: identified, converted to what every EPUB reader shows, scaled, named by content."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image

from bookmaker.sources.assets import ImageProblem, asset_from_bytes, embed_local_images


def encoded(fmt: str, size: tuple[int, int] = (60, 40), mode: str = "RGB") -> bytes:
    out = io.BytesIO()
    Image.new(mode, size, (200, 80, 40, 128)[: len(mode)]).save(out, fmt)
    return out.getvalue()


@pytest.mark.parametrize(
    ("fmt", "mode", "media_type"),
    [
        ("AVIF", "RGB", "image/jpeg"),
        ("WEBP", "RGB", "image/jpeg"),
        ("WEBP", "RGBA", "image/png"),
        ("TIFF", "RGB", "image/jpeg"),
        ("BMP", "RGB", "image/jpeg"),
    ],
)
def test_formats_readers_may_not_show_are_converted(fmt: str, mode: str, media_type: str) -> None:
    asset = asset_from_bytes(encoded(fmt, mode=mode), origin=f"x.{fmt.lower()}")
    assert asset.media_type == media_type
    with Image.open(io.BytesIO(asset.data)) as img:
        assert img.format == media_type.split("/")[1].upper().replace("JPG", "JPEG")
        assert img.size == (60, 40)


def test_core_formats_are_kept_byte_for_byte_and_named_by_content() -> None:
    data = encoded("PNG")
    asset = asset_from_bytes(data, origin="a.png")
    assert asset.data == data and asset.media_type == "image/png"
    assert asset.name == asset_from_bytes(data, origin="elsewhere/b.png").name
    assert asset.name.startswith("images/") and asset.name.endswith(".png")


def test_oversize_images_are_scaled_down_to_the_limit() -> None:
    asset = asset_from_bytes(encoded("PNG", size=(5000, 2500)), origin="big.png", max_pixels=1000)
    with Image.open(io.BytesIO(asset.data)) as img:
        assert img.size == (1000, 500)


def test_not_an_image_is_a_problem_not_a_crash() -> None:
    with pytest.raises(ImageProblem, match="not a readable image"):
        asset_from_bytes(b"<html>not an image</html>", origin="fake.jpg")


def test_the_same_picture_used_twice_is_embedded_once(tmp_path: Path) -> None:
    (tmp_path / "a.png").write_bytes(encoded("PNG"))
    (tmp_path / "copy.png").write_bytes(encoded("PNG"))
    body, assets = embed_local_images(
        '<p><img src="a.png" alt="A"/><img src="copy.png" alt="B"/></p>', tmp_path, "post.md"
    )
    assert len(assets) == 1
    assert body.count(f'src="{assets[0].name}"') == 2


def test_a_decompression_bomb_is_an_image_problem_not_a_crash() -> None:
    bomb = io.BytesIO()
    Image.new("1", (20000, 20000)).save(bomb, "PNG")  # 400 megapixels in a few kilobytes
    with pytest.raises(ImageProblem, match="^has too many pixels to decode safely$"):
        asset_from_bytes(bomb.getvalue(), origin="bomb.png")


def test_an_image_address_with_a_nul_byte_is_left_out_with_a_warning(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    html, assets = embed_local_images('<p>Tide <img src="chart%00.png"/></p>', tmp_path, "a.md")
    assert assets == () and "<img" not in html
    assert "image chart%00.png is not a file name; left out" in caplog.text
