"""Streaming a JSON document's records array to DuckDB in parallel parts, without copying the file.

The array is cut at record boundaries into byte ranges; each range is sent by the kernel (``sendfile``) into
a named pipe that DuckDB reads as its own ``[ ... ]`` array file. DuckDB reads the parts in parallel, in
order, with bounded memory: no giant object, no temporary copy on disk, no Python per record.
Where named pipes or ``sendfile`` into them are missing (macOS, Windows), ``PartFiles`` writes the same
parts as temporary files instead: the same reads and results, at the cost of one copy on disk.
"""

from __future__ import annotations

import contextlib
import json
import mmap
import os
import re
import sys
import threading
from pathlib import Path
from types import TracebackType

#: A record boundary inside a JSON array: `}` `,` `{` then a key and its colon. An unescaped quote
#: cannot sit inside a JSON string, so this never matches inside a text value; it does match between
#: objects of a list inside a record, and then the import reads the document in one part instead.
BOUNDARY = re.compile(rb'\}\s*,\s*\{\s*"[^"\\]*"\s*:')
_BLOCK = 1 << 24
#: Seconds the end of a feed waits for each feeder; one still writing after that keeps its own descriptors.
FEEDER_JOIN_S = 5.0
#: Whether this platform can stream parts through named pipes with sendfile (Linux).
PIPES_SUPPORTED = sys.platform.startswith("linux") and hasattr(os, "mkfifo") and hasattr(os, "sendfile")


def split_spans(view: mmap.mmap, start: int, end: int, parts: int) -> list[tuple[int, int]]:
    """Byte ranges of about equal size covering [start, end), each beginning at a record."""
    bounds = [start]
    for k in range(1, parts):
        target = start + (end - start) * k // parts
        if target <= bounds[-1]:
            continue
        match = BOUNDARY.search(view, target, end)
        if match is None:
            break
        bounds.append(match.start() + 1)  # just after the closing brace; the comma starts the next part
    bounds.append(end)
    return [(lo, hi) for lo, hi in zip(bounds, bounds[1:], strict=False) if hi > lo]


def records_before(path: Path, spans: list[tuple[int, int]], part: int) -> int:
    """How many records precede part ``part`` (for error messages only)."""
    if part <= 0:
        return 0
    with path.open("rb") as handle, mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as view:
        limit = spans[part][0]
        return sum(1 for m in BOUNDARY.finditer(view, spans[0][0], min(len(view), limit + 4096)) if m.start() < limit)


class ArrayFeed:
    """Named pipes fed with parts of a file, each wrapped in brackets; use as a context manager. Each feeder
    thread owns the descriptors it reads and writes (it closes them), so ending the feed never closes a
    descriptor a feeder may still ``sendfile`` from."""

    def __init__(self, path: Path, spans: list[tuple[int, int]], workdir: Path) -> None:
        self.path, self.spans, self.workdir = path, spans, workdir
        self.pipes = [workdir / f"part-{i:03d}.json" for i in range(len(spans))]
        self._sent = [0] * len(spans)
        self._threads: list[threading.Thread] = []

    @property
    def bytes_total(self) -> int:
        """Bytes the parts hold."""
        return sum(hi - lo for lo, hi in self.spans)

    @property
    def bytes_sent(self) -> int:
        """Bytes DuckDB has taken so far."""
        return sum(self._sent)

    def __enter__(self) -> list[Path]:
        self.workdir.mkdir(parents=True, exist_ok=True)
        sources: list[int] = []
        try:
            for pipe in self.pipes:
                sources.append(os.open(self.path, os.O_RDONLY))
                pipe.unlink(missing_ok=True)
                os.mkfifo(pipe, 0o600)
        except OSError:
            for fd in sources:
                os.close(fd)
            raise
        for i, source in enumerate(sources):  # from here on each thread owns its source descriptor
            thread = threading.Thread(target=self._feed, args=(i, source), name=f"wellprod-feed-{i}", daemon=True)
            thread.start()
            self._threads.append(thread)
        return self.pipes

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        for pipe, thread in zip(self.pipes, self._threads, strict=True):
            if thread.is_alive():  # nobody read this pipe (an error stopped DuckDB): let the writer go
                with contextlib.suppress(OSError):
                    os.close(os.open(pipe, os.O_RDONLY | os.O_NONBLOCK))
        for thread in self._threads:
            thread.join(timeout=FEEDER_JOIN_S)
        for pipe in self.pipes:
            pipe.unlink(missing_ok=True)

    def abort(self) -> None:
        """Release a reader that waits on a pipe no writer will feed: it then reads end-of-file."""
        for pipe in self.pipes:
            with contextlib.suppress(OSError):
                os.close(os.open(pipe, os.O_WRONLY | os.O_NONBLOCK))

    def _feed(self, index: int, source: int) -> None:
        """Send part ``index`` from ``source`` (a descriptor this thread owns and closes) into its pipe."""
        lo, hi = self.spans[index]
        try:
            out = os.open(self.pipes[index], os.O_WRONLY)
        except OSError:
            os.close(source)
            return
        try:
            lo += _separator_bytes(index, os.pread(source, 256, lo))
            os.write(out, b"[")
            offset = lo
            while offset < hi:
                sent = os.sendfile(out, source, offset, min(hi - offset, _BLOCK))
                if sent <= 0:
                    break
                offset += sent
                self._sent[index] = offset - self.spans[index][0]
            os.write(out, b"]")
            self._sent[index] = hi - self.spans[index][0]
        except OSError:  # the reader went away (error or cancel); the import reports why
            pass
        finally:
            os.close(out)
            os.close(source)


def _separator_bytes(index: int, head: bytes) -> int:
    """How many bytes at the start of part ``index`` (its first bytes: ``head``) are the comma and blanks
    that separate it from the previous part."""
    return len(head) - len(head.lstrip(b" \t\r\n,")) if index else 0


class PartFiles:
    """The portable twin of ArrayFeed: each part copied to a temporary ``[ ... ]`` file; a context manager."""

    def __init__(self, path: Path, spans: list[tuple[int, int]], workdir: Path) -> None:
        self.path, self.spans, self.workdir = path, spans, workdir
        self.pipes = [workdir / f"part-{i:03d}.json" for i in range(len(spans))]
        self._written = 0
        self._aborted = threading.Event()

    @property
    def bytes_total(self) -> int:
        """Bytes the parts hold."""
        return sum(hi - lo for lo, hi in self.spans)

    @property
    def bytes_sent(self) -> int:
        """Bytes copied so far."""
        return self._written

    def __enter__(self) -> list[Path]:
        self.workdir.mkdir(parents=True, exist_ok=True)
        with self.path.open("rb") as source:
            for index, ((lo, hi), target) in enumerate(zip(self.spans, self.pipes, strict=True)):
                source.seek(lo)
                offset = lo + _separator_bytes(index, source.read(256))
                source.seek(offset)
                with target.open("wb") as out:
                    out.write(b"[")
                    while offset < hi and not self._aborted.is_set():
                        block = source.read(min(hi - offset, _BLOCK))
                        if not block:
                            break
                        out.write(block)
                        offset += len(block)
                        self._written += len(block)
                    out.write(b"]")
        return self.pipes

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        for part in self.pipes:
            part.unlink(missing_ok=True)

    def abort(self) -> None:
        """Stop copying (a cancel)."""
        self._aborted.set()


def open_feed(path: Path, spans: list[tuple[int, int]], workdir: Path) -> ArrayFeed | PartFiles:
    """Named pipes where the platform has them, else temporary part files."""
    return ArrayFeed(path, spans, workdir) if PIPES_SUPPORTED else PartFiles(path, spans, workdir)


class LayoutError(ValueError):
    """The document is not a records array or an object holding one under "data"."""


_WS = " \t\r\n"
_HEAD_BYTES = 1 << 20


def records_span(view: mmap.mmap) -> tuple[int, int]:
    """Byte range between the brackets of the records: a top-level array, or the list under the top-level
    key "data", which may come anywhere among small other keys (count, next, meta...)."""
    size = _HEAD_BYTES
    while True:  # a large value before "data" (a 2 MB key) needs a larger head
        head = bytes(view[:size]).decode("latin-1")  # one char per byte: offsets stay byte offsets
        try:
            return _records_span(view, head, complete=size >= len(view))
        except _HeadTooShort:
            size *= 4


class _HeadTooShort(Exception):
    """The head read ends inside a value before "data"."""


def _records_span(view: mmap.mmap, head: str, complete: bool) -> tuple[int, int]:
    pos = len(head) - len(head.lstrip("\ufeff\xef\xbb\xbf" + _WS))
    end = len(view)
    while end > 0 and view[end - 1 : end] in (b" ", b"\n", b"\r", b"\t"):
        end -= 1
    if head[pos : pos + 1] == "[":
        if view[end - 1 : end] != b"]":
            raise LayoutError("truncated JSON: the array is not closed with ']'")
        return pos + 1, end - 1
    if view[end - 1 : end] != b"}":
        raise LayoutError("truncated JSON: the document does not end with '}'")
    start = _data_start(head, pos, complete)
    return start, _data_end(view, start, end)


def _skip(text: str, pos: int) -> int:
    while pos < len(text) and text[pos] in _WS:
        pos += 1
    return pos


def _data_start(text: str, pos: int, complete: bool = True) -> int:
    """Offset just after the '[' of "data", reading the small keys before it."""
    decoder = json.JSONDecoder()
    pos = _skip(text, pos + 1)  # after '{'
    while True:
        if text[pos : pos + 1] == "}":
            raise LayoutError('a JSON object without "data": expected {"data": [records]}')
        try:
            key, pos = decoder.raw_decode(text, pos)
            pos = _skip(text, pos)
            if not isinstance(key, str) or text[pos : pos + 1] != ":":
                raise ValueError
            pos = _skip(text, pos + 1)
            if key == "data":
                if text[pos : pos + 1] != "[":
                    kind = {"{": "an object", '"': "a string", "n": "null"}.get(text[pos : pos + 1], "not a list")
                    raise LayoutError(f'"data" must hold a list of records, not {kind}')
                return pos + 1
            _, pos = decoder.raw_decode(text, pos)
        except LayoutError:
            raise
        except ValueError:
            if not complete:
                raise _HeadTooShort from None
            if pos >= len(text) - 1:
                raise LayoutError(f'no "data" list among the first {_HEAD_BYTES:,} bytes') from None
            raise LayoutError(f"not valid JSON at byte {pos}") from None
        pos = _skip(text, pos)
        if text[pos : pos + 1] == ",":
            pos = _skip(text, pos + 1)
        elif text[pos : pos + 1] != "}":
            raise LayoutError(f"not valid JSON at byte {pos}")


def _data_end(view: mmap.mmap, start: int, end: int) -> int:
    """Offset of the ']' that closes "data": the first one after which only keys and '}' follow (a list in
    a trailing key, ``"errors": []`` or ``"links": [{...}]``, lies after it; one inside the records does not
    have only keys after it)."""
    base = max(start, end - _HEAD_BYTES)
    tail = bytes(view[base:end])
    found = -1
    close = tail.rfind(b"]", 0, len(tail) - 1)
    while close >= 0:
        if _only_keys_follow(tail[close + 1 :].strip()):
            found = close
        close = tail.rfind(b"]", 0, close)
    if found >= 0:
        return base + found
    raise LayoutError('truncated JSON: the "data" list is not closed with \']\'')


def _only_keys_follow(rest: bytes) -> bool:
    if rest == b"}":
        return True
    if not rest.startswith(b","):
        return False
    try:
        return isinstance(json.loads(b"{" + rest[1:]), dict)
    except ValueError:
        return False
