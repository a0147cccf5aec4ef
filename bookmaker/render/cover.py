"""The cover: a typeset image for books whose author supplied none (title, subtitle and authors on
a calm ground; the same metadata always gives the same JPEG bytes on the same system) and the
cover page that shows it."""

from __future__ import annotations

import functools
import hashlib
import io
import logging
import subprocess
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from bookmaker.model import Asset, BookMeta
from bookmaker.render.xhtml import EPUB_TYPE, new_document, serialize, sub_element

log = logging.getLogger(__name__)

Colour = tuple[int, int, int]
Font = ImageFont.FreeTypeFont | ImageFont.ImageFont

COVER_NAME = "images/cover.jpg"
FONT_SUFFIXES = (".ttf", ".otf", ".ttc")
MAX_TITLE_LINES = 8


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


def generate_cover(meta: BookMeta, width: int = 1600, height: int = 2560) -> Asset:
    """Typeset a JPEG cover from the book's title, subtitle and authors."""
    palette = choose_palette(meta)
    image = Image.new("RGB", (width, height), palette.ground)
    draw = ImageDraw.Draw(image)
    measure = width - 2 * (width // 9)
    _draw_frame(draw, width, height, palette)
    floor = _draw_authors(draw, meta.authors, width, height, measure, palette.accent)
    y = _draw_title(draw, meta.title, width, measure, top=int(height * 0.22), ink=palette.ink)
    y += width // 16
    draw.rectangle((width // 2 - width // 10, y, width // 2 + width // 10, y + 5), palette.accent)
    if meta.subtitle:
        font = load_font("serif:italic", width // 22)
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
    digest = hashlib.sha256(meta.title.encode("utf-8")).digest()
    return PALETTES[digest[0] % len(PALETTES)]


def wrap(text: str, font: Font, max_width: int) -> list[str]:
    """Break text into lines no wider than max_width, splitting over-long words if need be."""
    lines: list[str] = []
    current = ""
    for word in text.split():
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
    draw: ImageDraw.ImageDraw, title: str, width: int, measure: int, top: int, ink: Colour
) -> int:
    """Draw the title as large as fits in at most five lines; return the y below it."""
    size = width // 9
    while True:
        font = load_font("serif:bold", size)
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
) -> int:
    """Draw the authors, one a line, ending near the foot; return the y where they start."""
    font = load_font("serif", width // 18)
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


@functools.lru_cache(maxsize=8)
def find_font(pattern: str) -> str | None:
    candidates = [_fc_match(pattern), *FALLBACK_FONTS.get(pattern, ())]
    for candidate in candidates:
        if candidate and candidate.lower().endswith(FONT_SUFFIXES) and Path(candidate).is_file():
            return candidate
    return None


def _fc_match(pattern: str) -> str:
    try:
        done = subprocess.run(
            ["fc-match", "-f", "%{file}", pattern],
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return ""
    return done.stdout.strip() if done.returncode == 0 else ""
