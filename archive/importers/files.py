"""Opening an import file and judging it as a whole, before any record is read.

A gzip stream is recognised by its magic bytes; the first bytes (after gunzipping)
tell JSON Lines from a feed and refuse an empty, binary or non-UTF-8 file
(`sniff_format`). `text_file_problem` applies the same checks to a whole upload in
the admin. `ImportFileError` is how every part of the import says a file is broken.
"""

from __future__ import annotations

import gzip
import os
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

GZIP_MAGIC = b"\x1f\x8b"
SNIFF_BYTES = 8192
JSONL_SUFFIXES = {".jsonl", ".ndjson", ".json"}


class ImportFileError(Exception):
    """The file as a whole cannot be imported (missing, binary, corrupt, not a feed)."""


@dataclass(slots=True)
class Progress:
    """Tells the caller's callback how many bytes of the file (compressed, for gzip)
    have been read."""

    callback: Callable[[int], None] | None
    raw: object = field(default=None)

    def report(self):
        if self.callback is not None and self.raw is not None:
            try:
                self.callback(self.raw.tell())
            except (OSError, ValueError):
                pass


def open_raw(path: Path):
    try:
        return open(path, "rb")  # noqa: SIM115 - closed by the caller
    except FileNotFoundError:
        raise ImportFileError("no such file") from None
    except IsADirectoryError:
        raise ImportFileError("is a directory, not a file") from None
    except OSError as exc:
        raise ImportFileError(f"cannot open: {exc.strerror or exc}") from None


def decompressed(raw):
    """The readable byte stream: gunzipped when the file starts with the gzip magic."""
    magic = raw.read(2)
    raw.seek(0)
    if magic == GZIP_MAGIC:
        return gzip.GzipFile(fileobj=raw, mode="rb")
    return raw


GZIP_ERRORS = (gzip.BadGzipFile, EOFError, zlib.error)


def read_head(stream) -> bytes:
    try:
        return stream.read(SNIFF_BYTES)
    except EOFError:
        raise ImportFileError(
            "the gzip data ends before the end of the stream (a truncated file?)"
        ) from None
    except GZIP_ERRORS as exc:
        raise ImportFileError(f"corrupt gzip data: {exc}") from None


def _utf8_error(data: bytes) -> int | None:
    """Offset of the first byte that is not UTF-8, or None (a character cut at the end
    of `data`, which is only the head of a file, is no error)."""
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.reason == "unexpected end of data" and exc.start >= len(data) - 3:
            return None
        return exc.start
    return None


def looks_like_cp1251(data: bytes) -> bool:
    """Not UTF-8, and read as Windows-1251 it is Russian: its non-ASCII characters are
    nearly all Cyrillic letters and there are no control characters. (UTF-8 Russian
    read as cp1251 is half punctuation: «Р°Р·»; binary data has control characters.)"""
    if _utf8_error(data) is None:
        return False
    text = data.decode("cp1251", errors="replace")
    if any(ord(c) < 32 and c not in "\t\r\n\f" for c in text):
        return False
    non_ascii = [c for c in text if ord(c) > 127]
    letters = sum(1 for c in non_ascii if "а" <= c.lower() <= "я" or c in "ёЁ")
    return bool(non_ascii) and letters >= 0.8 * len(non_ascii)


CP1251_HINT = "it looks like Windows-1251 (cp1251): convert it with `iconv -f cp1251 -t utf-8`"


def sniff_format(head: bytes, path: Path) -> str:
    """'jsonl' or 'feed' from the first bytes (after gunzipping); ImportFileError otherwise."""
    if not head.strip():
        raise ImportFileError("empty file: nothing to import")
    if b"\x00" in head:
        raise ImportFileError("binary data, not JSON Lines or an RSS/Atom feed")
    if looks_like_cp1251(head):
        raise ImportFileError(f"not UTF-8 text: {CP1251_HINT}")
    text = head.decode("utf-8", errors="replace")
    if text.count("\ufffd") > max(3, len(text) // 20):
        raise ImportFileError("binary data (not UTF-8 text), not JSON Lines or an RSS/Atom feed")
    stripped = text.lstrip("\ufeff \t\r\n")
    if not stripped:
        raise ImportFileError("empty file: nothing to import")
    if stripped.startswith("<"):
        return "feed"
    suffixes = [s.lower() for s in path.suffixes if s.lower() != ".gz"]
    if stripped.startswith("{") or (suffixes and suffixes[-1] in JSONL_SUFFIXES):
        return "jsonl"
    if any(line.lstrip().startswith("{") for line in stripped.splitlines()[:50]):
        return "jsonl"
    raise ImportFileError("neither JSON Lines (no line starts with '{') nor an RSS/Atom feed")


@dataclass(frozen=True, slots=True)
class TextProblem:
    """Why bytes that should be a text file are not one (for the admin's upload)."""

    kind: str  # "gzip", "binary", "cp1251", "encoding" or "long-line"
    line: int = 0
    column: int = 0
    byte: int = 0


def text_file_problem(data: bytes, max_line_bytes: int) -> TextProblem | None:
    """The first thing that makes `data` not a UTF-8 text file with lines of at most
    `max_line_bytes` bytes, or None. Linear in the size of `data`."""

    def position(offset):
        line_start = data.rfind(b"\n", 0, offset) + 1
        return data.count(b"\n", 0, offset) + 1, offset - line_start + 1

    if data[:2] == GZIP_MAGIC:
        return TextProblem("gzip")
    zero = data.find(b"\x00")
    if zero >= 0:
        return TextProblem("binary", *position(zero), byte=0)
    bad = _utf8_error(data + b"\n")  # (no character is cut: this is the whole file)
    if bad is not None:
        line, column = position(bad)
        start = data.rfind(b"\n", 0, bad) + 1
        end = data.find(b"\n", bad)
        text_line = data[start : end if end >= 0 else len(data)]
        kind = "cp1251" if looks_like_cp1251(text_line) else "encoding"
        return TextProblem(kind, line, column, data[bad])
    start, lineno = 0, 1
    while start < len(data):
        end = data.find(b"\n", start)
        end = len(data) if end < 0 else end
        if end - start > max_line_bytes:
            return TextProblem("long-line", lineno)
        start, lineno = end + 1, lineno + 1
    return None


def file_size(path) -> int:
    """Size in bytes for a progress bar; 0 when the file cannot be read."""
    try:
        return os.path.getsize(path)
    except OSError:
        return 0
