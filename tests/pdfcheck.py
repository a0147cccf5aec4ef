"""Reading a built PDF the way a reader sees it: bookmarks, running heads, page numbers."""

from __future__ import annotations

from pypdf import PdfReader


def outline(reader: PdfReader) -> list[tuple[int, str, int]]:
    """(depth, title, 0-based page index) for every bookmark, in order."""
    entries: list[tuple[int, str, int]] = []

    def walk(items: list, depth: int) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item, depth + 1)
            else:
                entries.append((depth, item.title, reader.get_destination_page_number(item)))

    walk(reader.outline, 0)
    return entries


def margin_text(reader: PdfReader, index: int) -> tuple[str, str]:
    """Text drawn in the top and bottom margins of a page: running head and page number.

    print.css gives the page margins of 8% (top) and 9% (bottom) of the page height; the body
    never reaches the outer 6% bands.
    """
    page = reader.pages[index]
    height = float(page.mediabox.height)
    head: list[str] = []
    foot: list[str] = []

    def visit(text: str, cm: list[float], tm: list[float], *_: object) -> None:
        y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
        if y > height * 0.94:
            head.append(text)
        elif y < height * 0.06:
            foot.append(text)

    page.extract_text(visitor_text=visit)
    return "".join(head).strip(), "".join(foot).strip()
