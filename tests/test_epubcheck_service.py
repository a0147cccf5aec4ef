"""The session-wide EPUBCheck service: real checks against the JVM, failure handling with stubs."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import textwrap
import threading
import zipfile
from pathlib import Path

import pytest
from epubcheck_service.client import (
    JDK_PACKAGE,
    EpubcheckService,
    EpubcheckServiceError,
    Report,
    cli_line,
    epubcheck_home,
    find_java,
)

CONTAINER = """<?xml version="1.0" encoding="UTF-8"?>
<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">
  <rootfiles>
    <rootfile full-path="EPUB/package.opf" media-type="application/oebps-package+xml"/>
  </rootfiles>
</container>
"""

NAV_ITEM = '<item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav"/>'

PACKAGE = """<?xml version="1.0" encoding="UTF-8"?>
<package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="uid" xml:lang="en">
  <metadata xmlns:dc="http://purl.org/dc/elements/1.1/">
    <dc:identifier id="uid">{identifier}</dc:identifier>
    <dc:title>Notes from a Hillside Garden</dc:title>
    <dc:creator>Marta Okonkwo-Lind</dc:creator>
    <dc:language>en</dc:language>
    <meta property="dcterms:modified">2024-03-09T08:30:00Z</meta>
  </metadata>
  <manifest>
    {nav_item}
    <item id="pear" href="pear-tree.xhtml" media-type="application/xhtml+xml"/>
    {extra_item}
  </manifest>
  <spine>
    <itemref idref="pear"/>
  </spine>
</package>
"""

NAV = """<?xml version="1.0" encoding="UTF-8"?>
<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops"
      xml:lang="en" lang="en">
  <head><title>Contents</title></head>
  <body>
    <nav epub:type="toc">
      <h1>Contents</h1>
      <ol><li><a href="pear-tree.xhtml">Pruning the old pear tree</a></li></ol>
    </nav>
  </body>
</html>
"""

CHAPTER = """<?xml version="1.0" encoding="UTF-8"?>
<html xmlns="http://www.w3.org/1999/xhtml" xml:lang="en" lang="en">
  <head><title>Pruning the old pear tree</title></head>
  <body>
    <h1>Pruning the old pear tree</h1>
    <p>The pear by the shed has not been pruned since the previous owners left. This winter I
    took out the crossing branches and one dead limb, and stopped there.</p>
  </body>
</html>
"""

VALID_IDENTIFIER = "urn:uuid:5b1f0c7e-8d2a-4a61-9c3e-2f4b6d8e0a13"


def write_epub(
    path: Path,
    *,
    nav: bool = True,
    extra_item: str = "",
    identifier: str = VALID_IDENTIFIER,
) -> Path:
    """A one-chapter EPUB 3, valid with the defaults; each option breaks it in one known way."""
    package = PACKAGE.format(
        identifier=identifier, nav_item=NAV_ITEM if nav else "", extra_item=extra_item
    )
    members = {"META-INF/container.xml": CONTAINER, "EPUB/package.opf": package}
    if nav:
        members["EPUB/nav.xhtml"] = NAV
    members["EPUB/pear-tree.xhtml"] = CHAPTER
    with zipfile.ZipFile(path, "w") as book:
        # OCF 3.3 §4.3: mimetype comes first, stored uncompressed.
        book.writestr("mimetype", "application/epub+zip", compress_type=zipfile.ZIP_STORED)
        for name, text in members.items():
            book.writestr(name, text, compress_type=zipfile.ZIP_DEFLATED)
    return path


GHOST_ITEM = '<item id="ghost" href="ghost.xhtml" media-type="application/xhtml+xml"/>'


def ids(lines: list[str]) -> list[str]:
    return [line.split(":", 1)[0] for line in lines]


# --- real checks, on the session's JVM ---------------------------------------------------------


def test_valid_epub_has_no_messages(epubcheck: EpubcheckService, tmp_path: Path) -> None:
    report = epubcheck(write_epub(tmp_path / "hillside.epub"))

    assert report == Report(errors=[], warnings=[], infos=[])


def test_missing_nav_is_reported(epubcheck: EpubcheckService, tmp_path: Path) -> None:
    report = epubcheck(write_epub(tmp_path / "no-nav.epub", nav=False))

    assert ids(report.errors) == ["ERROR(RSC-005)"]
    assert report.errors[0].startswith("ERROR(RSC-005): no-nav.epub/EPUB/package.opf(")
    assert 'manifest item must declare the "nav" property' in report.errors[0]
    assert report.warnings == []


def test_dangling_manifest_href_is_reported(epubcheck: EpubcheckService, tmp_path: Path) -> None:
    report = epubcheck(write_epub(tmp_path / "ghost.epub", extra_item=GHOST_ITEM))

    assert report.errors == [
        'ERROR(RSC-001): ghost.epub/EPUB/ghost.xhtml(-1,-1): File "EPUB/ghost.xhtml" could not '
        "be found."
    ]
    # OPF-097 (manifest item never referenced) is a USAGE message: hidden, as in the CLI.
    assert report.warnings == [] and report.infos == []


def test_warning_is_sorted_as_warning(epubcheck: EpubcheckService, tmp_path: Path) -> None:
    report = epubcheck(write_epub(tmp_path / "odd-id.epub", identifier="urn:uuid:not-a-uuid"))

    assert report.errors == []
    assert ids(report.warnings) == ["WARNING(OPF-085)"]


def test_checks_reuse_one_jvm_without_stale_results(
    epubcheck: EpubcheckService, tmp_path: Path
) -> None:
    broken = write_epub(tmp_path / "broken.epub", nav=False)
    valid = write_epub(tmp_path / "valid.epub")

    first = epubcheck(broken)
    pid = epubcheck.pid
    second = epubcheck(valid)
    third = epubcheck(broken)

    assert pid is not None and epubcheck.pid == pid
    assert ids(first.errors) == ["ERROR(RSC-005)"]
    assert second == Report(errors=[], warnings=[], infos=[])
    assert third == first


def test_messages_match_the_command_line_tool(epubcheck: EpubcheckService, tmp_path: Path) -> None:
    epub = write_epub(
        tmp_path / "mixed.epub", extra_item=GHOST_ITEM, identifier="urn:uuid:not-a-uuid"
    )
    java, jar = find_java(), epubcheck_home() / "epubcheck.jar"
    assert java is not None
    cli = subprocess.run(
        [java, "-jar", str(jar), "--locale", "en", epub.name],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    cli_lines = (cli.stderr + cli.stdout).splitlines()

    def printed(*severities: str) -> list[str]:
        return [line for line in cli_lines if line.startswith(tuple(f"{s}(" for s in severities))]

    report = epubcheck(epub)

    assert len(printed("FATAL", "ERROR", "WARNING", "INFO", "USAGE")) == 2
    assert report.errors == printed("FATAL", "ERROR")
    assert report.warnings == printed("WARNING")
    assert report.infos == printed("INFO")


def test_missing_file_is_refused_before_any_jvm_starts(tmp_path: Path) -> None:
    service = EpubcheckService(command=["false"])

    with pytest.raises(FileNotFoundError, match="no EPUB file at"):
        service(tmp_path / "absent.epub")
    assert service.pid is None


# --- failure handling, with small Python stand-ins for the JVM -------------------------------

STUB_PRELUDE = """
import json, sys
def say(answer):
    print(json.dumps(answer), flush=True)
say({"ready": True, "version": "stub"})
"""


def stub(body: str) -> list[str]:
    """A command running a stand-in server: announces itself, then runs `body`."""
    return [sys.executable, "-c", STUB_PRELUDE + textwrap.dedent(body)]


ECHO = """
for line in sys.stdin:
    path = line.rstrip("\\n")
    say({"path": path, "messages": [{"severity": "ERROR", "id": "RSC-001", "message": path,
         "path": "EPUB/a.xhtml", "line": 1, "column": 2}]})
"""


@pytest.fixture
def some_epub(tmp_path: Path) -> Path:
    path = tmp_path / "stub.epub"
    path.write_bytes(b"stand-ins never open it")
    return path


def is_running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def test_dying_service_raises_with_its_stderr(some_epub: Path) -> None:
    service = EpubcheckService(stub("sys.stdin.readline()\nsys.exit('schema cache is corrupt')"))

    with pytest.raises(EpubcheckServiceError, match="died") as failure:
        service(some_epub)

    assert "schema cache is corrupt" in str(failure.value)
    assert "exit code 1" in str(failure.value)
    assert service.pid is None


def test_next_call_after_a_death_starts_a_fresh_process(some_epub: Path, tmp_path: Path) -> None:
    # The first stand-in dies on its first request; the marker file makes the second one live.
    marker = tmp_path / "started-once"
    body = (
        f"import pathlib\nmarker = pathlib.Path({str(marker)!r})\n"
        "if not marker.exists():\n    marker.touch()\n    sys.exit(3)\n" + ECHO
    )
    with EpubcheckService(stub(body)) as service:
        with pytest.raises(EpubcheckServiceError, match="exit code 3"):
            service(some_epub)
        report = service(some_epub)

    assert report.errors == [f"ERROR(RSC-001): stub.epub/EPUB/a.xhtml(1,2): {some_epub}"]


def test_silent_service_times_out_and_is_killed(some_epub: Path) -> None:
    service = EpubcheckService(stub("import time\ntime.sleep(60)"), timeout=0.5)

    with pytest.raises(EpubcheckServiceError, match=r"no answer within 0\.5 s checking"):
        service(some_epub)

    assert service.pid is None


def test_failure_to_start_is_explained(some_epub: Path) -> None:
    command = [
        sys.executable,
        "-c",
        "import sys; sys.exit('Error: Could not find or load main class')",
    ]
    service = EpubcheckService(command)

    with pytest.raises(EpubcheckServiceError, match="while starting up") as failure:
        service(some_epub)

    assert f"apt-get install {JDK_PACKAGE}" in str(failure.value)


@pytest.mark.parametrize(
    ("answer", "complaint"),
    [
        ('say({"path": "/elsewhere/other.epub", "messages": []})', "answered for '/elsewhere/"),
        ('say({"path": line.rstrip("\\n")})', "answered without messages"),
        ('print("Picked up _JAVA_OPTIONS", flush=True)', "not JSON: 'Picked up"),
    ],
    ids=["other-file", "no-messages", "not-json"],
)
def test_malformed_answer_is_rejected(some_epub: Path, answer: str, complaint: str) -> None:
    body = f"for line in sys.stdin:\n    {answer}\n"
    with EpubcheckService(stub(body)) as service:
        with pytest.raises(EpubcheckServiceError, match=re.escape(complaint)):
            service(some_epub)
        assert service.pid is None  # a confused service is not trusted with the next book


def test_crash_inside_epubcheck_is_raised(some_epub: Path) -> None:
    body = """
    for line in sys.stdin:
        say({"path": line.rstrip("\\n"), "crash": "java.lang.IllegalStateException: no rootfile"})
    """
    with EpubcheckService(stub(body)) as service:
        with pytest.raises(EpubcheckServiceError, match="IllegalStateException: no rootfile"):
            service(some_epub)
        assert service.pid is not None  # a crash on one book leaves the service usable


def test_threads_each_get_their_own_answer(tmp_path: Path) -> None:
    books = []
    for number in range(12):
        books.append(tmp_path / f"book-{number}.epub")
        books[-1].write_bytes(b"stand-ins never open it")
    reports: dict[Path, Report] = {}

    def check(book: Path) -> None:
        reports[book] = service(book)

    with EpubcheckService(stub(ECHO)) as service:
        threads = [threading.Thread(target=check, args=(book,)) for book in books]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)

    assert sorted(reports) == sorted(books)
    for book, report in reports.items():
        assert report.errors == [f"ERROR(RSC-001): {book.name}/EPUB/a.xhtml(1,2): {book}"]


def test_close_ends_the_process(some_epub: Path) -> None:
    service = EpubcheckService(stub(ECHO))
    service(some_epub)
    pid = service.pid
    assert pid is not None

    service.close()
    service.close()

    assert service.pid is None
    assert not is_running(pid)


def test_missing_java_names_the_package(
    some_epub: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("JAVA_HOME", raising=False)
    monkeypatch.setenv("PATH", str(tmp_path))

    assert find_java() is None
    with pytest.raises(EpubcheckServiceError, match=f"apt-get install {JDK_PACKAGE}"):
        EpubcheckService()(some_epub)


# --- formatting ----------------------------------------------------------------------------


def test_message_about_the_epub_itself_is_formatted_like_the_cli() -> None:
    entry = {"severity": "ERROR", "id": "PKG-007", "message": "Bad mimetype.", "path": "",
             "line": -1, "column": -1}  # fmt: skip

    line = cli_line(entry, Path("/books/garden.epub"))

    assert line == "ERROR(PKG-007): garden.epub/./garden.epub(-1,-1): Bad mimetype."
