from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from PIL import Image

from bookmaker.errors import SourceError
from bookmaker.sources.markdown import load_markdown


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_front_matter_fields_become_post_fields(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "p.md",
        """---
title: "Café: Don't Panic"
date: 2016-03-04 09:30
author: Maren Holt
categories: [Conflict, Communication]
tags: fights, fairness
url: https://smallhours.example/2016/03/fair-fights/
order: 2
---
# Big heading

Some *text* with a footnote.[^1]

[^1]: The note.
""",
    )
    post = load_markdown(path)
    assert post.title == "Café: Don't Panic"
    assert post.slug == "cafe-dont-panic"
    assert post.date == dt.datetime(2016, 3, 4, 9, 30)
    assert post.authors == ("Maren Holt",)
    assert post.categories == ("Conflict", "Communication")
    assert post.tags == ("fights", "fairness")
    assert post.url == "https://smallhours.example/2016/03/fair-fights/"
    assert post.order == 2
    assert "<h2>Big heading</h2>" in post.body  # re-levelled under the chapter title
    assert "<em>text</em>" in post.body
    assert 'id="fn-1"' in post.body and "fn:1" not in post.body


def test_title_falls_back_to_first_heading_then_file_name(tmp_path: Path) -> None:
    post = load_markdown(write(tmp_path, "a.md", "# The Heading\n\nBody text.\n"))
    assert post.title == "The Heading"
    assert "The Heading" not in post.body
    post = load_markdown(write(tmp_path, "my-first-post.md", "Body text only.\n"))
    assert post.title == "My first post"


def test_images_are_embedded_and_missing_ones_warned(tmp_path: Path, caplog) -> None:
    Image.new("RGB", (40, 30), "navy").save(tmp_path / "pic.webp")
    post = load_markdown(write(tmp_path, "p.md", "![A pic](pic.webp)\n\n![Gone](gone.png)\n"))
    assert len(post.assets) == 1
    asset = post.assets[0]
    assert asset.media_type == "image/jpeg"  # WebP is not a core EPUB type: converted
    assert f'src="{asset.name}"' in post.body
    assert "[Gone]" in post.body
    assert any("gone.png not found" in r.getMessage() for r in caplog.records)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("---\ntitle: [unclosed\n---\nBody\n", "front matter at line 2: "),
        ("---\ntitle: x\nBody\n", "front matter starts with '---' but has no closing '---'"),
        ("---\n- a\n- b\n---\nBody\n", "front matter must be 'key: value' lines"),
        ("---\ndate: someday soon\n---\nBody\n", "front matter 'date' is not a date"),
        ("---\ntitle: T\n---\n\n", "the post has no text after its front matter"),
    ],
)
def test_broken_front_matter_is_one_clear_error(tmp_path: Path, text: str, message: str) -> None:
    path = write(tmp_path, "bad.md", text)
    with pytest.raises(SourceError) as info:
        load_markdown(path)
    assert info.value.message.startswith(f"{path}: ")
    assert message in info.value.message
    assert "\n" not in info.value.message


def test_a_date_of_year_zero_is_one_clear_error(tmp_path: Path) -> None:
    path = write(tmp_path, "zero.md", "---\ntitle: T\ndate: 0000-00-00\n---\nBody\n")
    with pytest.raises(SourceError) as info:
        load_markdown(path)
    assert info.value.message == f"{path}: front matter: year 0 is out of range"


def test_control_characters_are_left_out_of_title_tags_and_body(tmp_path: Path) -> None:
    text = '---\ntitle: "Tide\\vTables"\ntags: ["sea\\x01side"]\n---\nLow \x01water at \x1bnoon.\n'
    post = load_markdown(write(tmp_path, "tides.md", text))
    assert (post.title, post.tags) == ("TideTables", ("seaside",))
    assert "Low water at noon." in post.body
