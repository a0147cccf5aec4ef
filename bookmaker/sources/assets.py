"""Images referenced by local posts: read, converted to a format every EPUB reader shows, and
named by content so the same picture used twice is stored once."""

from __future__ import annotations

import hashlib
import io
import logging
from collections.abc import Callable
from pathlib import Path
from urllib.parse import unquote, urlparse

import lxml.html
from PIL import Image, UnidentifiedImageError

from bookmaker.log import warn
from bookmaker.model import Asset

log = logging.getLogger(__name__)

# EPUB 3 core media types for raster images (EPUB 3.3, section 3.2).
CORE_TYPES = {
    "JPEG": ("image/jpeg", "jpg"),
    "PNG": ("image/png", "png"),
    "GIF": ("image/gif", "gif"),
}
MAX_IMAGE_BYTES = 32 * 1024 * 1024


class ImageProblem(Exception):
    """An image could not be used; the message says why."""


def asset_from_bytes(data: bytes, origin: str, max_pixels: int = 4000) -> Asset:
    """Make an embeddable asset from image bytes: identify, convert if needed, scale if huge."""
    if len(data) > MAX_IMAGE_BYTES:
        raise ImageProblem(f"larger than {MAX_IMAGE_BYTES // (1024 * 1024)} MB")
    try:
        with Image.open(io.BytesIO(data)) as img:
            fmt = img.format or ""
            if fmt in CORE_TYPES and max(img.size) <= max_pixels:
                media_type, ext = CORE_TYPES[fmt]
            else:
                data, media_type, ext = _convert(img, max_pixels)
    except Image.DecompressionBombError:
        raise ImageProblem("has too many pixels to decode safely") from None
    except (UnidentifiedImageError, OSError, ValueError) as exc:
        raise ImageProblem("not a readable image") from exc
    digest = hashlib.sha256(data).hexdigest()[:16]
    return Asset(name=f"images/{digest}.{ext}", media_type=media_type, data=data, origin=origin)


def _convert(img: Image.Image, max_pixels: int) -> tuple[bytes, str, str]:
    img.load()
    if max(img.size) > max_pixels:
        img.thumbnail((max_pixels, max_pixels))
    has_alpha = (
        img.mode in ("RGBA", "LA", "P")
        and "transparency" in img.info
        or img.mode
        in (
            "RGBA",
            "LA",
        )
    )
    out = io.BytesIO()
    if has_alpha:
        img.convert("RGBA").save(out, "PNG", optimize=True)
        return out.getvalue(), "image/png", "png"
    img.convert("RGB").save(out, "JPEG", quality=88, optimize=True)
    return out.getvalue(), "image/jpeg", "jpg"


def embed_local_images(
    body_html: str, base_dir: Path, origin: str
) -> tuple[str, tuple[Asset, ...]]:
    """Embed the images of a post read from disk; `src` values are paths relative to `base_dir`."""
    return embed_images(body_html, lambda src: _load_local(src, base_dir), origin)


def embed_images(
    body_html: str, load: Callable[[str], Asset], origin: str
) -> tuple[str, tuple[Asset, ...]]:
    """Replace each <img src> with the name of the asset `load(src)` gives.

    An image that cannot be loaded is removed with a warning naming the post and the image; its
    alt text, if any, stays as text so nothing the author wrote disappears silently.
    """
    root = lxml.html.fragment_fromstring(body_html, create_parent="div")
    assets: dict[str, Asset] = {}
    for img in list(root.iter("img")):
        src = (img.get("src") or "").strip()
        try:
            if not src:
                raise ImageProblem("has no source")
            asset = load(src)
        except ImageProblem as exc:
            warn(
                log, "image.unreadable", "%s: image %s %s; left out", origin, src or "(no src)", exc
            )
            _replace_with_alt(img)
            continue
        assets[asset.name] = asset
        img.set("src", asset.name)
    inner = (root.text or "") + "".join(
        lxml.html.tostring(child, encoding="unicode") for child in root
    )
    return inner, tuple(assets.values())


def _load_local(src: str, base_dir: Path) -> Asset:
    parsed = urlparse(src)
    if parsed.scheme in ("http", "https"):
        raise ImageProblem("is remote (fetch the blog to download images)")
    if parsed.scheme == "data":
        raise ImageProblem("is an inline data URL")
    if parsed.scheme not in ("", "file"):
        raise ImageProblem(f"uses unsupported scheme {parsed.scheme}:")
    try:
        path = (base_dir / unquote(parsed.path)).resolve()
        data = path.read_bytes()
    except FileNotFoundError:
        raise ImageProblem("not found") from None
    except OSError as exc:
        raise ImageProblem(f"cannot be read ({exc.strerror})") from None
    except ValueError:  # a NUL byte, e.g. from %00, is no file name
        raise ImageProblem("is not a file name") from None
    return asset_from_bytes(data, origin=str(path))


def _replace_with_alt(img: lxml.html.HtmlElement) -> None:
    alt = (img.get("alt") or "").strip()
    parent = img.getparent()
    if alt:
        span = lxml.html.Element("span")
        span.text = f"[{alt}]"
        span.tail = img.tail
        parent.replace(img, span)
    else:
        img.drop_tree()
