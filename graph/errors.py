"""The project's own error type: every failure a user can cause is one of these."""

from __future__ import annotations


class YuegangError(Exception):
    """Base class of errors that the CLI reports without a traceback."""


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
