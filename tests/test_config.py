from __future__ import annotations

import re
from pathlib import Path

import pytest

from bookmaker.config import (
    SCHEMA,
    Filters,
    Source,
    apply_overrides,
    edition_names,
    for_edition,
    load_config,
)
from bookmaker.errors import ConfigError
from bookmaker.isbn import isbn_digits


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


def test_unreadable_book_toml_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="^.*: no such file$"):
        load_config(tmp_path / "book.toml")
    folder = tmp_path / "folder.toml"
    folder.mkdir()
    with pytest.raises(ConfigError) as info:
        load_config(folder)
    assert info.value.message == f"{folder}: cannot read (Is a directory)"


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
    config = load_config(
        write(
            tmp_path,
            """
[[sources]]
url = "https://blog.example/"
since = 2015-01-01
categories = ["Love"]
exclude_tags = ["draft"]
max_posts = 20

[fetch]
delay = 1
offline = true
""",
        )
    )
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


# -- the whole book description -----------------------------------------------------------------


def test_metadata_contents_front_back_and_editions_are_read(tmp_path: Path) -> None:
    for name in ("front/dedication.md", "front/notes.md", "back/about.md", "parts/letters.md"):
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_text("Text.\n")
    (tmp_path / "sampler.jpg").write_bytes(b"x")
    config = load_config(
        write(
            tmp_path,
            """
[book]
title = "Small Hours"
isbn = "978-1-234-56789-7"
edition = "Second edition"
subjects = ["Love", " Letters "]
cover_color = "#ABC"

[chapters]
group_by = "category"
exclude = ["draft-post"]

[[parts]]
category = "Letters"
title = "Letters Home"
intro = "parts/letters.md"

[[parts]]
category = "Fights"

[front]
copyright_page = false
dedication = "front/dedication.md"
pages = ["front/notes.md"]

[back]
index = true
index_title = "By Subject"
about_author = "back/about.md"

[editions.sampler]
title_suffix = " (Sampler)"
chapters = ["a", "b"]
formats = ["epub"]
isbn = "0-306-40615-2"
cover = "sampler.jpg"

[output.pdf]
link_footnotes = true
""",
        )
    )
    book = config.book
    assert (book.isbn, book.edition, book.subjects) == (
        "978-1-234-56789-7",
        "Second edition",
        ("Love", "Letters"),
    )
    assert book.cover_color == "#aabbcc"
    assert config.chapters.exclude == ("draft-post",)
    assert config.chapters.parts == ("Letters", "Fights")
    letters, fights = config.chapters.part_settings
    assert (letters.title, letters.intro) == ("Letters Home", tmp_path / "parts" / "letters.md")
    assert (fights.category, fights.title, fights.intro) == ("Fights", "", None)
    assert [(p.role, p.path) for p in config.matter.front] == [
        ("titlepage", None),
        ("dedication", tmp_path / "front" / "dedication.md"),
        ("", tmp_path / "front" / "notes.md"),
    ]
    assert [(p.role, p.title) for p in config.matter.back] == [
        ("by-category", "By Subject"),
        ("about-the-author", ""),
    ]
    (sampler,) = config.editions
    assert (sampler.name, sampler.chapters, sampler.formats) == ("sampler", ("a", "b"), ("epub",))
    assert config.output.link_footnotes


def test_an_edition_is_the_book_changed_as_its_table_says(tmp_path: Path) -> None:
    config = load_config(
        write(
            tmp_path,
            """
[book]
title = "Small Hours"
isbn = "9781234567897"
description = "Seven essays."
[editions.sampler]
title_suffix = " — A Sampler"
chapters = ["a"]
[editions.print]
title = "Small Hours (Large Print)"
name = "large-print"
formats = ["pdf"]
""",
        )
    )
    assert edition_names(config) == ("full", "sampler", "print")
    full = for_edition(config, "full", "small-hours")
    assert (full.output.name, full.book.isbn, full.edition) == (
        "small-hours",
        "9781234567897",
        "full",
    )
    sampler = for_edition(config, "sampler", "small-hours")
    assert sampler.book.title_suffix == " — A Sampler" and sampler.book.title == "Small Hours"
    assert (sampler.book.isbn, sampler.book.identifier) == ("", "")  # never the book's ISBN
    assert sampler.chapters.only == ("a",)
    assert sampler.output.name == "small-hours-sampler"
    assert sampler.output.formats == ("epub", "pdf")
    assert sampler.book.description == "Seven essays."
    large = for_edition(config, "print", "small-hours")
    assert (large.book.title, large.book.title_suffix) == ("Small Hours (Large Print)", "")
    assert (large.output.name, large.output.formats) == ("large-print", ("pdf",))
    assert apply_overrides(config, edition="print").selected == ("print",)
    with pytest.raises(ConfigError, match="did you mean 'print'\\? editions: full, sampler, print"):
        apply_overrides(config, edition="prnt")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            '[book]\nisbn = "978-1-234-56789-8"',
            "book.isbn: not a valid ISBN-13 or ISBN-10 (wrong "
            "length or check digit); got '978-1-234-56789-8'",
        ),
        (
            '[book]\nisbn = "0306406152"\nidentifier = "urn:x"',
            "book.identifier: give either isbn or identifier (the ISBN is the identifier)",
        ),
        (
            '[book]\ncover_color = "teal"',
            "book.cover_color: expected a colour like '#2f4f4f'; got 'teal'",
        ),
        (
            '[front]\ndedication = "front/missing.md"',
            "front.dedication: no such file or folder: front/missing.md",
        ),
        (
            '[back]\nabout_author = "cover.jpg"',
            "back.about_author: expected a Markdown (.md), .html or .txt file: cover.jpg",
        ),
        (
            '[[parts]]\ncategory = "Letters"',
            "parts: [[parts]] needs chapters.group_by = 'category'",
        ),
        (
            '[chapters]\ngroup_by = "category"\nparts = ["A"]\n[[parts]]\ncategory = "A"',
            "chapters.parts: give the order of parts by [[parts]] alone",
        ),
        (
            '[editions.full]\ntitle = "x"',
            "editions.full: 'full' is the whole book; choose another name",
        ),
        (
            '[editions."Big Print"]\ntitle = "x"',
            "editions.Big Print: a name of lowercase letters, digits, '-' and '_' please",
        ),
        (
            '[editions.a]\nname = "x"\n[editions.b]\nname = "x"',
            "editions.b.name: 'x' is already the file name of editions.a",
        ),
        (
            '[editions.sampler]\ntitel_suffix = "x"',
            "unknown key 'editions.sampler.titel_suffix'; "
            "did you mean 'editions.sampler.title_suffix'?",
        ),
        (
            '[front]\ndedicaton = "x.md"',
            "unknown key 'front.dedicaton'; did you mean 'front.dedication'?",
        ),
        ('[book]\nkeywords = ["x"]', "unknown key 'book.keywords'; did you mean 'book.subjects'?"),
        ('[book]\nauthors = ["x"]', "unknown key 'book.authors'; did you mean 'book.author'?"),
        (
            '[output.pdf]\nlink_footnotes = "yes"',
            "output.pdf.link_footnotes: expected true/false; got a string 'yes'",
        ),
    ],
)
def test_each_mistake_is_one_line_naming_file_and_key(
    tmp_path: Path, text: str, message: str
) -> None:
    (tmp_path / "cover.jpg").write_bytes(b"x")
    path = write(tmp_path, text + "\n")
    with pytest.raises(ConfigError) as info:
        load_config(path)
    assert info.value.message == f"{path}: {message}"


@pytest.mark.parametrize(
    ("text", "digits"),
    [
        ("978-1-234-56789-7", "9781234567897"),
        ("ISBN-13: 979 0000000124", "9790000000124"),
        ("0-306-40615-2", "0306406152"),
        ("080442957x", "080442957X"),
        ("978-1-234-56789-0", ""),
        ("0-306-40615-3", ""),
        ("12345", ""),
    ],
)
def test_isbns_are_checked_by_their_check_digit(text: str, digits: str) -> None:
    assert isbn_digits(text) == digits


def test_the_readme_documents_every_key() -> None:
    readme = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n## book.toml\n", 1)[1].split("\n## ", 1)[0]
    block = section.split("```toml\n", 1)[1].split("```", 1)[0]
    for table, keys in SCHEMA.items():
        head = f"[[{table}]]" if table in ("sources", "parts") else f"[{table}]"
        if table == "editions":
            head = "[editions."
        assert head in block, table
        for key in keys:
            assert re.search(rf"^#? ?{key} = ", block, re.M), f"{table}.{key}"


def test_extraction_overrides_are_read_and_bad_selectors_named(tmp_path: Path) -> None:
    (tmp_path / "pages").mkdir()
    config = load_config(
        write(
            tmp_path,
            """
[extract]
remove = [".cookie-bar"]

[[sources]]
path = "pages"
content = "div.post-body"
remove = ["div.zz-7"]
""",
        )
    )
    assert config.extract_remove == (".cookie-bar",)
    assert (config.sources[0].content, config.sources[0].remove) == ("div.post-body", ("div.zz-7",))
    path = write(tmp_path, '[[sources]]\npath = "pages"\nremove = ["div >> p"]\n')
    with pytest.raises(ConfigError) as info:
        load_config(path)
    assert info.value.message.startswith(f"{path}: sources[0].remove: 'div >> p' is not a CSS")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[[sources]]\npath = "chap\\u0000ters"\n', "sources[0].path: not a usable file name: "),
        (f'[[sources]]\npath = "{"a" * 5000}"\n', "sources[0].path: not a usable file name: "),
        ('[output]\nname = "../../elsewhere"\n', "output.name: expected a file name without"),
        ('[output]\nname = ".."\n', "output.name: expected a file name without"),
        ('[editions.sampler]\nname = "a/b"\n', "editions.sampler.name: expected a file name"),
        ("a = " + "[" * 3000 + "]" * 3000 + "\n", "not valid TOML: arrays or tables nested"),
    ],
)
def test_hostile_values_are_config_errors(tmp_path: Path, text: str, message: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as info:
        load_config(path)
    assert info.value.message.startswith(f"{path}: {message}")


def test_a_byte_order_mark_before_book_toml_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "book.toml"
    path.write_text('[book]\ntitle = "Tide Tables"\n', encoding="utf-8-sig")
    assert load_config(path).book.title == "Tide Tables"


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("delay = -1", "fetch.delay: expected a number from 0 to 3600; got -1"),
        ("delay = nan", "fetch.delay: expected a number from 0 to 3600; got nan"),
        ("concurrency = 0", "fetch.concurrency: expected a number from 1 to 16; got 0"),
        ("timeout = inf", "fetch.timeout: expected a number from 1 to 600; got inf"),
        (
            "max_image_pixels = 0",
            "fetch.max_image_pixels: expected a number from 64 to 20000; got 0",
        ),
    ],
)
def test_fetch_settings_out_of_range_are_named(tmp_path: Path, line: str, message: str) -> None:
    path = write(tmp_path, f"[fetch]\n{line}\n")
    with pytest.raises(ConfigError) as info:
        load_config(path)
    assert info.value.message == f"{path}: {message}"
