"""Stage 1, text: decode a notice's bytes and build the normalised form used for matching.

Two strings run side by side. The *source* is the decoded file (universal newlines, no BOM):
spans and item texts come from it, so what was written is kept. The *matching form* has the same
length and the same line breaks but traditional characters converted to simplified (OpenCC
``t2s``) and full-width ASCII (``（），．１２``) folded to half-width, so that patterns and names
only need to be written once. Because both have the same length, an offset found in one is an
offset in the other.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from graph.errors import NoticeError

_FULLWIDTH = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}
_FULLWIDTH[0x3000] = 0x20  # ideographic space
_FULLWIDTH[0x00A0] = 0x20  # no-break space
# invisible marks (zero-width, BOM, direction) read as spaces, so that a number after them
# still starts its line: 1 character for 1 character, the length is kept
for _mark in (*range(0x200B, 0x2010), *range(0x202A, 0x202F), *range(0x2060, 0x2070), 0xFEFF):
    _FULLWIDTH[_mark] = 0x20


@dataclass(frozen=True)
class SourceText:
    """A decoded notice: ``text`` as written, ``match`` its same-length matching form."""

    text: str
    match: str
    source: str
    sha256: str
    encoding: str
    script: str  # "simplified" or "traditional"

    def line_of(self, offset: int) -> int:
        """1-based line number of a character offset."""
        return self.text.count("\n", 0, offset) + 1


@lru_cache(maxsize=1)
def _t2s():
    from opencc import OpenCC

    return OpenCC("t2s")


@lru_cache(maxsize=1)
def _convertible() -> frozenset[str] | None:
    """Characters OpenCC's t2s table changes; text without any of them needs no conversion
    (the phrase table only refines how such characters convert).

    OpenCC's Python port keeps its tables in a private attribute; if that changes, None makes
    every text go through OpenCC (slower, same result).
    """
    converter = _t2s()
    converter.convert("發")  # loads the tables
    try:
        return frozenset(
            key
            for chain in converter._dict_chain_data
            for _longest, _shortest, table in chain
            for key in table
            if len(key) == 1 and table[key] != key
        )
    except (AttributeError, TypeError, ValueError):
        return None


def to_simplified(text: str) -> str:
    """Convert traditional to simplified script, keeping the length (character by character
    where OpenCC's phrase conversion would change it).

    >>> to_simplified("發展與合作")
    '发展与合作'
    """
    convertible = _convertible()
    if convertible is not None and convertible.isdisjoint(text):
        return text
    converted = _t2s().convert(text)
    if len(converted) == len(text):
        return converted
    return "".join(c if len(c := _t2s().convert(ch)) == 1 else ch for ch in text)


def fold_width(text: str) -> str:
    """Fold full-width ASCII forms and odd spaces to their half-width forms.

    >>> fold_width("（省科技厅）１．")
    '(省科技厅)1.'
    """
    return text.translate(_FULLWIDTH)


def matching_form(text: str) -> str:
    """The same-length form used for all matching: simplified script, half-width ASCII."""
    if len(text) <= 64:
        return _matching_form_short(text)
    return fold_width(to_simplified(text))


@lru_cache(maxsize=65536)
def _matching_form_short(text: str) -> str:
    return fold_width(to_simplified(text))


def decode(data: bytes, source: str = "<bytes>") -> tuple[str, str]:
    """Decode a notice's bytes; return ``(text, encoding)``.

    UTF-8 (with or without BOM) and UTF-16 (with BOM) are recognised by their marks, then strict
    UTF-8 is tried, then GB18030 (a superset of GBK and GB2312) if the result reads as Chinese,
    then charset-normalizer's best guess. Anything else raises :class:`NoticeError`.
    """
    if not data:
        raise NoticeError("the file is empty", source=source)
    for bom, enc in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            try:
                return data.decode(enc), enc
            except UnicodeDecodeError as exc:
                raise NoticeError(
                    f"not valid {enc} text ({exc.reason} at byte {exc.start})", source=source
                ) from exc
    if b"\x00" in data[:4096]:
        guess = _utf16_without_bom(data)
        if guess is not None:
            return guess
        raise NoticeError("this is not a text file (it contains NUL bytes)", source=source)
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("gb18030")
        if _looks_chinese(text):
            return text, "gb18030"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is not None and _looks_chinese(str(best)):
        return str(best), best.encoding
    raise NoticeError("cannot decode the file as UTF-8, UTF-16 or GB18030/GBK text", source=source)


def _utf16_without_bom(data: bytes) -> tuple[str, str] | None:
    for enc in ("utf-16-le", "utf-16-be"):
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        if _looks_chinese(text):
            return text, enc
    return None


def _looks_chinese(text: str) -> bool:
    """True when the text is mostly CJK, punctuation, digits and spaces (not mojibake)."""
    sample = text[:5000]
    if not sample.strip():
        return False
    cjk = sum(1 for ch in sample if "\u4e00" <= ch <= "\u9fff")
    odd = sum(
        1 for ch in sample if (ord(ch) < 32 and ch not in "\r\n\t") or "\ue000" <= ch <= "\uf8ff"
    )
    return cjk >= 0.2 * len(sample.strip()) and odd == 0


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def read_bytes(data: bytes, source: str = "<bytes>") -> SourceText:
    """Decode and prepare a notice given as bytes."""
    import hashlib

    _refuse_non_text(data, source)
    text, encoding = decode(data, source)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n")
    if text.startswith("\ufeff"):
        text = text[1:]
    text = _CONTROL.sub(" ", text)
    return from_string(
        text, source=source, sha256=hashlib.sha256(data).hexdigest(), encoding=encoding
    )


def from_string(
    text: str, *, source: str = "<text>", sha256: str | None = None, encoding: str = "str"
) -> SourceText:
    """Prepare an already decoded notice."""
    import hashlib

    if sha256 is None:
        sha256 = hashlib.sha256(text.encode("utf-8")).hexdigest()
    match = matching_form(text)
    changed = sum(1 for a, b in zip(fold_width(text), match, strict=True) if a != b)
    script = "traditional" if changed >= 3 and changed > 0.002 * len(text) else "simplified"
    return SourceText(
        text=text, match=match, source=source, sha256=sha256, encoding=encoding, script=script
    )


#: files larger than this are refused before they are read (``--max-size`` changes it)
DEFAULT_MAX_SIZE = 20 * 1024 * 1024


def read_file(path: str | Path, *, max_size: int | None = DEFAULT_MAX_SIZE) -> SourceText:
    """Read a notice file from disk; refuse one larger than *max_size* bytes before reading it
    (None: no limit)."""
    path = Path(path)
    try:
        size = path.stat().st_size
        if max_size is not None and size > max_size:
            raise NoticeError(
                f"the file is {size / 1048576:.1f} MB, larger than the limit of "
                f"{max_size / 1048576:g} MB (a notice is a few hundred KB; --max-size changes "
                "the limit)",
                source=str(path),
            )
        data = path.read_bytes()
    except OSError as exc:
        raise NoticeError(f"cannot read the file: {exc.strerror}", source=str(path)) from exc
    return read_bytes(data, source=str(path))


#: documents that are not text, recognised by their first bytes, with what to do instead
_NOT_TEXT = (
    (
        b"%PDF-",
        "this is a PDF file, not text: convert it to text first "
        "(e.g. `pdftotext -layout notice.pdf notice.txt`) and extract the .txt",
    ),
    (
        b"PK\x03\x04",
        "this is a zip-based file (Word .docx, .xlsx …), not text: save it as "
        "plain text (UTF-8) first",
    ),
    (
        b"\xd0\xcf\x11\xe0",
        "this is an old Word/Excel file (.doc, .xls), not text: save it as "
        "plain text (UTF-8) first",
    ),
)


def _refuse_non_text(data: bytes, source: str) -> None:
    head = data[:1024].lstrip()
    for magic, message in _NOT_TEXT:
        if head.startswith(magic):
            raise NoticeError(message, source=source)


_PINYIN_GLOSS = re.compile(
    r"\(([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]{1,7}(?:\s[a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]{1,7})*)\)"
)


_TONE_MARKS = frozenset("āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ")


def pinyin_glosses(match: str) -> list[tuple[int, int]]:
    """Spans of pinyin glosses such as ``(fā)`` in ``發(fā)展`` (to be skipped when reading).

    A gloss follows a Chinese character and carries a tone mark, so that a lower-case
    abbreviation in brackets (``简称(cepa)``) is kept as text.

    >>> pinyin_glosses("发(fā)展")
    [(1, 5)]
    >>> pinyin_glosses("简称(cepa)")
    []
    """
    return [
        m.span()
        for m in _PINYIN_GLOSS.finditer(match)
        if m.start() > 0
        and "\u4e00" <= match[m.start() - 1] <= "\u9fff"
        and not _TONE_MARKS.isdisjoint(m.group(1))
    ]
