"""Fixtures shared by the whole test suite."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from epubcheck_service.client import (
    JDK_PACKAGE,
    EpubcheckService,
    EpubcheckServiceError,
    epubcheck_home,
    find_java,
)
from sites.faults import fault_server  # noqa: F401 - the fault-injecting server, for every test
from sites.wordpress import wordpress  # noqa: F401 - the real WordPress test site


@pytest.fixture(scope="session")
def epubcheck() -> Iterator[EpubcheckService]:
    """`epubcheck(path) -> Report`: EPUBCheck on one EPUB, with one JVM per test session.

    Each pytest-xdist worker has a session of its own, hence a JVM of its own. A machine without
    Java fails the test rather than skipping it: a skipped validation would hide broken books.
    """
    if find_java() is None:
        pytest.fail(
            f"EPUBCheck needs Java, which is not installed — apt-get install {JDK_PACKAGE}",
            pytrace=False,
        )
    try:
        epubcheck_home()
    except EpubcheckServiceError as exc:
        pytest.fail(str(exc), pytrace=False)
    service = EpubcheckService()
    yield service
    service.close()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # Tests that validate with EPUBCheck carry the marker without having to say so,
    # so `-m "not epubcheck"` reliably leaves out everything that needs Java.
    for item in items:
        if "epubcheck" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.epubcheck)
