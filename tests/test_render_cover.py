"""The generated cover: a JPEG of the asked size, the same bytes for the same book, the type inside
the frame, long titles wrapped, and a usable cover even without any system font."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from PIL import Image, ImageChops, ImageFont

import bookmaker.render.cover as cover_module
from bookmaker.build import font_families
from bookmaker.model import BookMeta
from bookmaker.render.cover import (
    CoverProblem,
    choose_palette,
    font_family,
    generate_cover,
    load_font,
    prepare_cover,
    wrap,
)


def meta(title: str = "Rain on the Allotment", **extra: object) -> BookMeta:
    fields: dict[str, object] = {
        "title": title,
        "authors": ("Ilse Marrow",),
        "language": "en",
        "identifier": "urn:uuid:0b8e4c1e-2d7f-4f0c-a1d2-6c9e8f3b7a55",
        "modified": dt.datetime(2024, 3, 9, tzinfo=dt.UTC),
    }
    fields.update(extra)
    return BookMeta(**fields)  # type: ignore[arg-type]


def picture(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def ink_rows(image: Image.Image, ground: tuple[int, int, int]) -> list[int]:
    """Rows (inside the frame) where something other than the ground colour was drawn."""
    width, height = image.size
    inset = width // 24 + 20
    inner = image.crop((inset, inset, width - inset, height - inset))
    diff = ImageChops.difference(inner, Image.new("RGB", inner.size, ground)).convert("L")
    mask = diff.point(lambda v: 255 if v > 60 else 0)
    return [
        y + inset for y in range(inner.height) if mask.crop((0, y, inner.width, y + 1)).getbbox()
    ]


def test_cover_is_a_jpeg_asset_of_the_requested_size() -> None:
    asset = generate_cover(meta(), width=800, height=1280)
    assert asset.media_type == "image/jpeg"
    assert asset.name.endswith(".jpg")
    image = picture(asset.data)
    assert (image.format, image.size, image.mode) == ("JPEG", (800, 1280), "RGB")


def test_same_metadata_gives_the_same_bytes() -> None:
    book = meta(subtitle="A Year in Weeds", authors=("Ilse Marrow", "Teodor Vinn"))
    assert generate_cover(book, 400, 640).data == generate_cover(book, 400, 640).data
    assert generate_cover(book, 400, 640).data != generate_cover(meta(), 400, 640).data


def test_ground_is_the_palette_colour_and_text_is_drawn_on_it() -> None:
    book = meta(subtitle="A Year in Weeds")
    image = picture(generate_cover(book, 800, 1280).data)
    ground = choose_palette(book).ground
    corner = image.getpixel((5, 5))
    assert all(abs(a - b) <= 6 for a, b in zip(corner, ground, strict=True))
    rows = ink_rows(image, ground)
    # Title in the upper half, the author near the foot, nothing drawn across the middle.
    assert any(250 < y < 450 for y in rows)
    assert any(1000 < y < 1110 for y in rows)
    assert not any(700 < y < 950 for y in rows)


def test_subtitle_adds_type_below_the_title() -> None:
    plain = ink_rows(picture(generate_cover(meta(), 800, 1280).data), choose_palette(meta()).ground)
    with_sub = meta(subtitle="Essays from a small, muddy plot")
    rows = ink_rows(
        picture(generate_cover(with_sub, 800, 1280).data), choose_palette(with_sub).ground
    )
    assert len(rows) > len(plain)


def test_long_titles_wrap_within_the_margins() -> None:
    font = load_font("serif:bold", 60)
    title = "Notes from a Small Allotment: Seasons of Soil, Seeds and Stubborn Weeds"
    lines = wrap(title, font, 500)
    assert len(lines) > 1
    assert " ".join(lines) == title
    assert all(font.getlength(line) <= 500 for line in lines)


def test_words_longer_than_a_line_are_split() -> None:
    font = load_font("serif", 40)
    word = "Gartenbaugemeinschaftsversammlungsprotokoll"
    lines = wrap(word, font, 300)
    assert len(lines) > 1 and "".join(lines) == word
    assert all(font.getlength(line) <= 300 for line in lines)


def test_very_long_titles_stay_inside_the_frame() -> None:
    book = meta(title="Very Long Title " * 30, subtitle="and a subtitle that rambles on " * 8)
    image = picture(generate_cover(book, 800, 1280).data)
    rows = ink_rows(image, choose_palette(book).ground)
    assert rows and max(rows) < 1280 - 800 // 24 - 20


def test_without_system_fonts_the_built_in_font_is_used(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cover_module, "find_font", lambda pattern: None)
    load_font.cache_clear()
    try:
        font = load_font("serif:bold", 50)
        assert font.path != cover_module.FALLBACK_FONTS["serif:bold"][0]  # type: ignore[union-attr]
        asset = generate_cover(meta(), 400, 640)
    finally:
        load_font.cache_clear()
    image = picture(asset.data)
    assert image.size == (400, 640)
    assert ink_rows(image, choose_palette(meta()).ground)


def test_fonts_come_from_fontconfig_or_known_paths() -> None:
    path = cover_module.find_font("serif:bold")
    if path is None:
        pytest.skip("no scalable serif font on this system")
    assert path.lower().endswith((".ttf", ".otf", ".ttc"))
    assert isinstance(ImageFont.truetype(path, 20), ImageFont.FreeTypeFont)


# -- the author's colour and fonts --------------------------------------------------------------


def test_the_authors_colour_is_the_ground_with_readable_ink() -> None:
    dark = meta(cover_color="#2f4f4f")
    image = picture(generate_cover(dark, 400, 640).data)
    assert all(abs(a - b) <= 6 for a, b in zip(image.getpixel((5, 5)), (47, 79, 79), strict=True))
    assert choose_palette(dark).ink == cover_module.LIGHT_INK
    light = meta(cover_color="#f4e9d8")
    assert choose_palette(light).ground == (244, 233, 216)
    assert choose_palette(light).ink == cover_module.DARK_INK
    assert ink_rows(picture(generate_cover(light, 400, 640).data), (244, 233, 216))


def test_the_cover_is_set_in_the_first_installed_font_of_the_book() -> None:
    families = font_families(
        '/* look */ :root { font-family: "No Such Face", "DejaVu Serif", serif; }'
    )
    assert families == ("No Such Face", "DejaVu Serif", "serif")
    if cover_module.find_font("DejaVu Serif") is None:
        pytest.skip("DejaVu Serif is not installed")
    assert font_family(families) == "DejaVu Serif"
    assert font_family(("No Such Face",)) == "serif"
    assert font_family(("Sans-Serif",)) == "sans-serif"


def test_a_dash_never_opens_a_line_of_the_title() -> None:
    font = load_font("serif:bold", 60)
    lines = wrap("Small Hours — A Sampler", font, 420)
    assert len(lines) > 1
    assert not any(line.startswith("—") for line in lines)
    assert " ".join(lines) == "Small Hours — A Sampler"


# -- the author's own cover ---------------------------------------------------------------------


def encoded(size: tuple[int, int], mode: str = "RGB", fmt: str = "JPEG") -> bytes:
    out = io.BytesIO()
    colour = {"RGB": (90, 20, 40), "RGBA": (90, 20, 40, 128), "CMYK": (0, 80, 60, 40)}[mode]
    Image.new(mode, size, colour).save(out, fmt)
    return out.getvalue()


def test_an_rgb_jpeg_of_store_size_is_kept_as_it_is() -> None:
    data = encoded((1600, 2560))
    asset, problems = prepare_cover(data, "cover.jpg")
    assert (asset.data, asset.media_type, problems) == (data, "image/jpeg", [])


@pytest.mark.parametrize(("mode", "fmt"), [("RGBA", "PNG"), ("CMYK", "JPEG"), ("RGB", "PNG")])
def test_other_images_become_rgb_jpegs(mode: str, fmt: str) -> None:
    asset, problems = prepare_cover(encoded((1600, 2560), mode, fmt), f"cover.{fmt.lower()}")
    image = picture(asset.data)
    assert (image.format, image.mode, image.size) == ("JPEG", "RGB", (1600, 2560))
    assert (asset.name, asset.media_type, problems) == ("images/cover.jpg", "image/jpeg", [])


def test_a_small_or_oddly_shaped_cover_is_a_warning_with_a_code() -> None:
    _, problems = prepare_cover(encoded((800, 1280)), "art/cover.jpg")
    assert problems == [
        (
            "cover.small",
            "art/cover.jpg: the cover is 800×1280 pixels; ebook stores ask for at least 1600×2560",
        )
    ]
    _, problems = prepare_cover(encoded((2000, 2000)), "square.jpg")
    assert [code for code, _ in problems] == ["cover.small", "cover.shape"]
    assert "1:1.00" in problems[1][1]


def test_a_huge_cover_is_scaled_down_and_an_unreadable_one_refused() -> None:
    asset, _ = prepare_cover(encoded((3000, 4800), fmt="PNG"), "big.png")
    assert picture(asset.data).size == (2560, 4096)
    with pytest.raises(CoverProblem, match="not an image"):
        prepare_cover(b"<svg/>", "cover.svg")


def test_a_cover_that_is_no_image_names_what_was_expected() -> None:
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><rect width="9" height="9"/></svg>'
    with pytest.raises(CoverProblem) as info:
        prepare_cover(svg, "cover.svg")
    assert str(info.value) == "not an image this tool can read (JPEG or PNG expected)"
