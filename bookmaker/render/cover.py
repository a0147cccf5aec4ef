"""The cover: the author's image, checked and stored as ebook stores want it (an RGB JPEG, about
1:1.6, at least 1600×2560), or a typeset one for books whose author supplied none (title, subtitle
and authors in the book's own fonts on a chosen or calm ground; the same metadata always gives the
same JPEG bytes on the same system), and the cover page that shows it."""

from __future__ import annotations

import functools
import hashlib
import io
import logging
import subprocess
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont, ImageOps, UnidentifiedImageError

from bookmaker.model import Asset, BookMeta
from bookmaker.render.xhtml import EPUB_TYPE, new_document, serialize, sub_element

log = logging.getLogger(__name__)

Colour = tuple[int, int, int]
Font = ImageFont.FreeTypeFont | ImageFont.ImageFont

COVER_NAME = "images/cover.jpg"
FONT_SUFFIXES = (".ttf", ".otf", ".ttc")
MAX_TITLE_LINES = 8
# What ebook stores ask of a cover: at least 1600×2560 pixels, height 1.6 times the width.
STORE_SIZE = (1600, 2560)
STORE_RATIO = 1.6
RATIO_TOLERANCE = 0.1
MAX_COVER_SIDE = 4096
GENERIC_FAMILIES = frozenset({"serif", "sans-serif", "monospace", "cursive", "fantasy"})
_ORIENTATION = 0x0112  # the EXIF tag that says which way up a photo was taken
LIGHT_INK: Colour = (244, 239, 228)
DARK_INK: Colour = (28, 28, 30)


@dataclass(frozen=True)
class Palette:
    ground: Colour
    ink: Colour
    accent: Colour


# Dark, muted grounds with warm off-white type; the title picks one, so a book keeps its colour.
PALETTES = (
    Palette((33, 64, 77), (244, 239, 228), (201, 170, 118)),  # deep teal
    Palette((44, 54, 71), (240, 236, 226), (176, 190, 204)),  # slate
    Palette((64, 46, 66), (243, 235, 228), (208, 164, 150)),  # plum
    Palette((45, 71, 58), (242, 238, 224), (196, 184, 128)),  # forest
    Palette((92, 45, 44), (246, 236, 222), (222, 184, 140)),  # claret
    Palette((30, 44, 78), (240, 237, 230), (190, 170, 120)),  # navy
)

# Where to look when fontconfig is missing or answers with a format FreeType cannot size.
FALLBACK_FONTS = {
    "serif:bold": (
        "/usr/share/fonts/truetype/dejavu/DejaVuSerif-Bold.ttf",
        "/usr/share/fonts/dejavu/DejaVuSerif-Bold.ttf",
        "/Library/Fonts/Georgia Bold.ttf",
        "C:/Windows/Fonts/georgiab.ttf",
    ),
    "serif": (
        "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf",
        "/usr/share/fonts/dejavu/DejaVuSerif.ttf",
        "/Library/Fonts/Georgia.ttf",
        "C:/Windows/Fonts/georgia.ttf",
    ),
    "serif:italic": (
        "/usr/share/fonts/truetype/dejavu/DejaVuSerif-Italic.ttf",
        "/usr/share/fonts/dejavu/DejaVuSerif-Italic.ttf",
        "/Library/Fonts/Georgia Italic.ttf",
        "C:/Windows/Fonts/georgiai.ttf",
    ),
}


class CoverProblem(ValueError):
    """The author's cover image cannot be read."""


def prepare_cover(data: bytes, origin: str) -> tuple[Asset, list[tuple[str, str]]]:
    """The author's cover as stores take it, and (code, message) warnings about its size.

    An RGB JPEG is kept byte for byte; anything else (PNG, CMYK, transparency) is converted.
    """
    try:
        with Image.open(io.BytesIO(data)) as opened:
            upright = opened.getexif().get(_ORIENTATION, 1) == 1
            keep = opened.format == "JPEG" and opened.mode == "RGB" and upright
            image = ImageOps.exif_transpose(opened)
    except UnidentifiedImageError:  # its message names an in-memory buffer, not the file
        raise CoverProblem("not an image this tool can read (JPEG or PNG expected)") from None
    except (OSError, Image.DecompressionBombError) as exc:
        raise CoverProblem(f"not an image this tool can read ({exc})") from None
    problems = cover_problems(image.size, origin)
    if not (keep and max(image.size) <= MAX_COVER_SIDE):
        data = _as_rgb_jpeg(image)
    return Asset(COVER_NAME, "image/jpeg", data, origin), problems


def cover_problems(size: tuple[int, int], origin: str) -> list[tuple[str, str]]:
    width, height = size
    problems = []
    if width < STORE_SIZE[0] or height < STORE_SIZE[1]:
        problems.append(
            (
                "cover.small",
                f"{origin}: the cover is {width}×{height} pixels; ebook stores ask for at least "
                f"{STORE_SIZE[0]}×{STORE_SIZE[1]}",
            )
        )
    ratio = height / width if width else 0.0
    if abs(ratio - STORE_RATIO) > RATIO_TOLERANCE:
        problems.append(
            (
                "cover.shape",
                f"{origin}: the cover is {width}×{height}, 1:{ratio:.2f}; ebook stores expect "
                f"its height about {STORE_RATIO} times its width "
                f"(e.g. {STORE_SIZE[0]}×{STORE_SIZE[1]})",
            )
        )
    return problems


def _as_rgb_jpeg(image: Image.Image) -> bytes:
    if image.mode in ("RGBA", "LA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        ground = Image.new("RGB", rgba.size, (255, 255, 255))
        ground.paste(rgba, mask=rgba.getchannel("A"))
        image = ground
    image = image.convert("RGB")
    if max(image.size) > MAX_COVER_SIDE:
        image.thumbnail((MAX_COVER_SIDE, MAX_COVER_SIDE), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=92, optimize=True)
    return out.getvalue()


def generate_cover(meta: BookMeta, width: int = 1600, height: int = 2560) -> Asset:
    """Typeset a JPEG cover from the book's title, subtitle and authors, in the book's fonts."""
    palette = choose_palette(meta)
    family = font_family(meta.fonts)
    image = Image.new("RGB", (width, height), palette.ground)
    draw = ImageDraw.Draw(image)
    measure = width - 2 * (width // 9)
    _draw_frame(draw, width, height, palette)
    floor = _draw_authors(draw, meta.authors, width, height, measure, palette.accent, family)
    y = _draw_title(draw, meta.title, width, measure, int(height * 0.22), palette.ink, family)
    y += width // 16
    draw.rectangle((width // 2 - width // 10, y, width // 2 + width // 10, y + 5), palette.accent)
    if meta.subtitle:
        font = load_font(f"{family}:italic", width // 22)
        room = max(0, (floor - y - width // 8) // _line_height(font))
        lines = _clip(wrap(meta.subtitle, font, measure), room)
        _draw_lines(draw, lines, font, width, y + width // 16, palette.ink)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=90, optimize=True)
    return Asset(
        name=COVER_NAME, media_type="image/jpeg", data=out.getvalue(), origin="generated cover"
    )


def cover_document(meta: BookMeta, image_name: str, stylesheet_href: str | None) -> str:
    """The cover page: the cover image alone (DPUB-ARIA `doc-cover`), fitted by the stylesheet."""
    html, body = new_document(meta.title, meta.language, stylesheet_href)
    body.set("class", "cover-page")
    body.set(EPUB_TYPE, "cover")
    frame = sub_element(body, "div", {"class": "cover"}, "\n")
    sub_element(frame, "img", {"src": image_name, "alt": meta.title, "role": "doc-cover"})
    return serialize(html)


def choose_palette(meta: BookMeta) -> Palette:
    """The author's colour (`[book] cover_color`) with a readable ink, or one of PALETTES."""
    if meta.cover_color:
        ground = _rgb(meta.cover_color)
        ink = DARK_INK if _luminance(ground) > 0.5 else LIGHT_INK
        accent = tuple(round(g + (i - g) * 0.6) for g, i in zip(ground, ink, strict=True))
        return Palette(ground, ink, accent)  # type: ignore[arg-type]
    digest = hashlib.sha256(meta.title.encode("utf-8")).digest()
    return PALETTES[digest[0] % len(PALETTES)]


def _rgb(colour: str) -> Colour:
    digits = colour.lstrip("#")
    return int(digits[0:2], 16), int(digits[2:4], 16), int(digits[4:6], 16)


def _luminance(colour: Colour) -> float:
    """Relative luminance, WCAG 2.1 section 1.4.3 (sRGB)."""

    def linear(channel: int) -> float:
        c = channel / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(c) for c in colour)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


@functools.lru_cache(maxsize=16)
def font_family(families: tuple[str, ...]) -> str:
    """The first of the book's font families (print.css) that is installed; "serif" if none."""
    for family in families:
        if family.lower() in GENERIC_FAMILIES:
            return family.lower()
        installed = _fc_match(family, "%{family}").lower().split(",")
        if family.lower() in (name.strip() for name in installed):
            return family
    return "serif"


def wrap(text: str, font: Font, max_width: int) -> list[str]:
    """Break text into lines no wider than max_width, splitting over-long words if need be."""
    lines: list[str] = []
    current = ""
    for word in _words(text):
        candidate = f"{current} {word}".strip()
        if font.getlength(candidate) <= max_width:
            current = candidate
            continue
        if current:
            lines.append(current)
        pieces = _split_word(word, font, max_width)
        lines.extend(pieces[:-1])
        current = pieces[-1]
    if current:
        lines.append(current)
    return lines


def _words(text: str) -> list[str]:
    """Words to wrap; a lone dash stays at the end of the line before, never opens one."""
    words: list[str] = []
    for word in text.split():
        if words and word in ("—", "–", "-", ":", "·"):
            words[-1] += f" {word}"
        else:
            words.append(word)
    return words


def _clip(lines: list[str], count: int) -> list[str]:
    """Keep the first `count` lines, marking the cut with an ellipsis."""
    if len(lines) <= count:
        return lines
    kept = lines[:count]
    if kept:
        kept[-1] = kept[-1].rstrip(".,;: ") + " …"
    return kept


def _split_word(word: str, font: Font, max_width: int) -> list[str]:
    pieces = [""]
    for char in word:
        if pieces[-1] and font.getlength(pieces[-1] + char) > max_width:
            pieces.append("")
        pieces[-1] += char
    return pieces


def _draw_frame(draw: ImageDraw.ImageDraw, width: int, height: int, palette: Palette) -> None:
    inset = width // 24
    draw.rectangle((inset, inset, width - inset, height - inset), outline=palette.accent, width=4)


def _draw_title(
    draw: ImageDraw.ImageDraw,
    title: str,
    width: int,
    measure: int,
    top: int,
    ink: Colour,
    family: str = "serif",
) -> int:
    """Draw the title as large as fits in at most five lines; return the y below it."""
    size = width // 9
    while True:
        font = load_font(f"{family}:bold", size)
        lines = wrap(title, font, measure)
        if len(lines) <= 5 or size <= width // 24:
            break
        size = int(size * 0.9)
    return _draw_lines(draw, _clip(lines, MAX_TITLE_LINES), font, width, top, ink)


def _draw_authors(
    draw: ImageDraw.ImageDraw,
    authors: tuple[str, ...],
    width: int,
    height: int,
    measure: int,
    ink: Colour,
    family: str = "serif",
) -> int:
    """Draw the authors, one a line, ending near the foot; return the y where they start."""
    font = load_font(family, width // 18)
    lines = [line for author in authors for line in wrap(author, font, measure)][:4]
    top = int(height * 0.86) - _line_height(font) * len(lines)
    _draw_lines(draw, lines, font, width, top, ink)
    return top


def _draw_lines(
    draw: ImageDraw.ImageDraw, lines: list[str], font: Font, width: int, top: int, ink: Colour
) -> int:
    y = top
    for line in lines:
        draw.text((width // 2, y), line, font=font, fill=ink, anchor="ma")
        y += _line_height(font)
    return y


def _line_height(font: Font) -> int:
    return int(getattr(font, "size", 20) * 1.25)


@functools.lru_cache(maxsize=64)
def load_font(pattern: str, size: int) -> Font:
    """A scalable font for a fontconfig pattern, or Pillow's built-in one if none is found."""
    path = find_font(pattern)
    if path:
        try:
            return ImageFont.truetype(path, size)
        except OSError:
            log.debug("cannot load font %s for the cover", path)
    return ImageFont.load_default(size=size)


@functools.lru_cache(maxsize=32)
def find_font(pattern: str) -> str | None:
    style = pattern.partition(":")[2]
    fallback = FALLBACK_FONTS.get(f"serif:{style}" if style else "serif", ())
    candidates = [_fc_match(pattern), *FALLBACK_FONTS.get(pattern, fallback)]
    for candidate in candidates:
        if candidate and candidate.lower().endswith(FONT_SUFFIXES) and Path(candidate).is_file():
            return candidate
    return None


def _fc_match(pattern: str, form: str = "%{file}") -> str:
    try:
        done = subprocess.run(
            ["fc-match", "-f", form, pattern],
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return ""
    return done.stdout.strip() if done.returncode == 0 else ""
