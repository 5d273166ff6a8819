"""The project's own error types: every failure a user can cause is one of these.

Exit codes of the ``yuegang`` command (the same for every sub-command):

=====  ==============================================================================
code   meaning
=====  ==============================================================================
0      done
1      the work ran and found a problem: ``validate`` does not conform, ``push`` did not
       land every triple (the message says how many did and how to resume)
2      bad input: a missing or unreadable file, a path that is a file where a folder is
       needed (or the reverse), a folder that cannot be written, an invalid or refused query
3      a limit was reached: time limit (``--timeout``) or memory limit (``--memory-limit``)
130    interrupted (Ctrl-C)
=====  ==============================================================================
"""

from __future__ import annotations

from pathlib import Path

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_INPUT = 2
EXIT_LIMIT = 3
EXIT_INTERRUPTED = 130


class YuegangError(Exception):
    """Base class of errors that the CLI reports without a traceback (exit code 2)."""

    exit_code = EXIT_INPUT


class LimitExceeded(YuegangError):
    """A time or memory limit stopped the work (exit code 3)."""

    exit_code = EXIT_LIMIT


class NoticeError(YuegangError):
    """A notice that cannot be read: names the file, the line (if known) and what is wrong.

    >>> str(NoticeError("empty file", source="a.txt"))
    'a.txt: empty file'
    >>> str(NoticeError("bracket never closes", source="a.txt", line=12))
    'a.txt:12: bracket never closes'
    """

    def __init__(self, message: str, *, source: str = "<text>", line: int | None = None):
        self.message = message
        self.source = source
        self.line = line
        where = f"{source}:{line}" if line is not None else source
        super().__init__(f"{where}: {message}")

    def __reduce__(self):
        """Pickle by the constructor's arguments (errors cross from build workers)."""
        return _notice_error, (self.message, self.source, self.line)


def _notice_error(message: str, source: str, line: int | None) -> NoticeError:
    return NoticeError(message, source=source, line=line)


def describe_os_error(exc: OSError) -> str:
    """A one-line message for a file-system error: the path and what is wrong.

    >>> describe_os_error(IsADirectoryError(21, "Is a directory", "out"))
    'out: is a folder, not a file'
    """
    path = exc.filename if exc.filename is not None else ""
    what = {
        IsADirectoryError: "is a folder, not a file",
        NotADirectoryError: "is a file (or under a file), not a folder",
        FileNotFoundError: "no such file or folder",
        PermissionError: "permission denied (cannot read or write here)",
        FileExistsError: "already exists",
    }.get(type(exc), exc.strerror or str(exc))
    return f"{path}: {what}" if path else what


class OutputError(YuegangError):
    """An output path that cannot be written: a file where a folder is needed, or the reverse."""


def ensure_output_dir(path: str | Path, subdirs: tuple[str, ...] = ()) -> Path:
    """Create the output folder *path* (and check *subdirs* are not files) before any writing.

    Checking first means a bad ``--out`` fails before anything is written (no partial output).
    """
    path = Path(path)
    for folder in (path, *(path / name for name in subdirs)):
        if folder.exists() and not folder.is_dir():
            raise OutputError(f"{folder}: is a file, not a folder (choose another output folder)")
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot create the output folder: {describe_os_error(exc)}") from exc
    _probe_writable(path)
    return path


def check_output_file(path: str | Path) -> Path:
    """Check that the file *path* can be written (its folder exists and is writable)."""
    path = Path(path)
    if path.is_dir():
        raise OutputError(f"{path}: is a folder; give a file name such as {path / 'out.json'}")
    parent = path.parent
    if not parent.exists():
        raise OutputError(f"{parent}: no such folder (create it first)")
    if not parent.is_dir():
        raise OutputError(f"{parent}: is a file, not a folder")
    if path.exists() and not path.is_file():
        raise OutputError(f"{path}: not a regular file (a device or a pipe)")
    _probe_writable(parent)
    return path


def _probe_writable(folder: Path) -> None:
    import tempfile

    try:
        with tempfile.TemporaryFile(dir=folder):
            pass
    except OSError as exc:
        raise OutputError(f"{folder}: cannot write in this folder ({exc.strerror or exc})") from exc
