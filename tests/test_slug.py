"""Slugs: lowercase ASCII names made from titles."""

from __future__ import annotations

import pytest

from bookmaker.slug import slugify


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("How to Listen So Your Partner Feels Heard", "how-to-listen-so-your-partner-feels-heard"),
        ("Café Talk: Don't Panic!", "cafe-talk-dont-panic"),
        ("Raised Beds on a Budget: Año Uno", "raised-beds-on-a-budget-ano-uno"),
        ("Straße, Æsir, Øre, Łódź", "strasse-aesir-ore-lodz"),
        ("  --Already--a--slug--  ", "already-a-slug"),
        ("10 Things I Learned in 2015", "10-things-i-learned-in-2015"),
        ("ﬁne ligatures", "fine-ligatures"),
    ],
)
def test_slugify(text: str, slug: str) -> None:
    assert slugify(text) == slug


def test_slugify_is_idempotent() -> None:
    once = slugify("Why I Stopped Writing Clever Code — Part 2")
    assert slugify(once) == once


@pytest.mark.parametrize("text", ["", "!!!", "日本語のタイトル"])
def test_nothing_usable_gives_an_empty_slug(text: str) -> None:
    assert slugify(text) == ""


def test_long_slugs_are_cut_at_a_hyphen() -> None:
    slug = slugify("word " * 40, max_length=22)
    assert slug == "word-word-word-word"
    assert slugify("a" * 100, max_length=10) == "a" * 10
