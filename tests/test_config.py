from __future__ import annotations

from pathlib import Path

import pytest

from bookmaker.config import Filters, Source, apply_overrides, load_config
from bookmaker.errors import ConfigError


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "book.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_full_config_is_read_with_paths_resolved(tmp_path: Path) -> None:
    (tmp_path / "posts").mkdir()
    (tmp_path / "cover.jpg").write_bytes(b"x")
    config = load_config(
        write(
            tmp_path,
            """
[book]
title = "Small Hours"
author = ["Maren Holt", "Jo Park"]
language = "en-GB"
date = 2021-05-01
cover = "cover.jpg"

[[sources]]
path = "posts"

[chapters]
order = ["b", "a"]
group_by = "category"

[output]
dir = "dist"
formats = ["epub"]

[output.pdf]
page_size = "6x9"

[validation]
strict = true
silence = ["image.unreadable"]
""",
        )
    )
    assert config.book.title == "Small Hours"
    assert config.book.authors == ("Maren Holt", "Jo Park")
    assert config.book.date.isoformat() == "2021-05-01"
    assert config.book.cover == tmp_path / "cover.jpg"
    assert config.sources == (Source(str(tmp_path / "posts")),)
    assert config.chapters.order == "explicit" and config.chapters.explicit == ("b", "a")
    assert config.output.dir == tmp_path / "dist"
    assert config.output.formats == ("epub",)
    assert config.output.page_size == "6x9"
    assert config.strict and config.silenced == {"image.unreadable"}


def test_defaults_when_tables_are_absent(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, '[book]\ntitle = "T"\n'))
    assert config.book.language == "en"
    assert config.output.formats == ("epub", "pdf")
    assert config.output.page_size == "A5"
    assert config.chapters.order == "date"
    assert config.output.epub_stylesheet is None  # default path absent: packaged style is used


def test_misspelled_key_names_file_key_and_closest_valid_key(tmp_path: Path) -> None:
    path = write(tmp_path, '[book]\ntitel = "T"\n')
    with pytest.raises(ConfigError) as info:
        load_config(path)
    assert (
        str(info.value.message) == f"{path}: unknown key 'book.titel'; did you mean 'book.title'?"
    )


def test_every_mistake_is_reported_at_once(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """
[book]
title = 3
[output.pdf]
page_size = "A6"
[outptu]
dir = "x"
""",
    )
    with pytest.raises(ConfigError) as info:
        load_config(path)
    lines = info.value.message.splitlines()
    assert f"{path}: book.title: expected a string; got a number 3" in lines
    assert f"{path}: output.pdf.page_size: expected one of A5, 6x9, Letter, A4; got 'A6'" in lines
    assert f"{path}: unknown key 'outptu'; did you mean 'output'?" in lines
    assert len(lines) == 3


def test_missing_source_folder_is_an_error(tmp_path: Path) -> None:
    path = write(tmp_path, '[[sources]]\npath = "nowhere"\n')
    with pytest.raises(ConfigError, match="sources\\[0\\].path: no such file or folder: nowhere"):
        load_config(path)


def test_broken_toml_is_one_line(tmp_path: Path) -> None:
    path = write(tmp_path, "[book\ntitle = 'x'\n")
    with pytest.raises(ConfigError) as info:
        load_config(path)
    assert info.value.message.startswith(f"{path}: not valid TOML: ")
    assert "\n" not in info.value.message


def test_command_line_overrides_win(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, '[book]\ntitle = "T"\nauthor = "A"\n'))
    config = apply_overrides(
        config,
        title="New",
        author="B",
        output_dir=tmp_path / "o",
        formats=("pdf", "pdf"),
        strict=True,
        sources=(),
    )
    assert (config.book.title, config.book.authors) == ("New", ("B",))
    assert config.output.dir == tmp_path / "o"
    assert config.output.formats == ("pdf",)
    assert config.strict


def test_web_sources_with_filters_and_fetch_settings(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, """
[[sources]]
url = "https://blog.example/"
since = 2015-01-01
categories = ["Love"]
exclude_tags = ["draft"]
max_posts = 20

[fetch]
delay = 1
offline = true
"""))
    (source,) = config.sources
    assert source.is_url and source.location == "https://blog.example/"
    assert source.filters.since.isoformat() == "2015-01-01"
    assert source.filters.categories == {"Love"}
    assert source.filters.exclude_tags == {"draft"} and source.filters.tags is None
    assert source.filters.max_posts == 20
    assert config.fetch.delay == 1.0 and config.fetch.offline
    assert config.fetch.cache_dir == tmp_path / ".bookmaker-cache"
    cli = Filters(max_posts=5, tags=frozenset({"x"}))
    config = apply_overrides(config, filters=cli, ignore_robots=True)
    assert config.sources[0].filters.max_posts == 5
    assert config.sources[0].filters.categories == {"Love"}
    assert config.fetch.ignore_robots


def test_a_source_needs_exactly_one_of_path_and_url(tmp_path: Path) -> None:
    path = write(tmp_path, '[[sources]]\nurl = "ftp://x"\n[[sources]]\nmax_posts = 3\n')
    with pytest.raises(ConfigError) as info:
        load_config(path)
    assert info.value.message.splitlines() == [
        f"{path}: sources[0].url: expected an http:// or https:// address; got 'ftp://x'",
        f"{path}: sources[1]: give either 'path' or 'url'",
    ]
