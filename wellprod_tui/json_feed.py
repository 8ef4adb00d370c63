"""Streaming a JSON document's records array to DuckDB in parallel parts, without copying the file.

The array is cut at record boundaries into byte ranges; each range is sent by the kernel (``sendfile``) into
a named pipe that DuckDB reads as its own ``[ ... ]`` array file. DuckDB reads the parts in parallel, in
order, with bounded memory: no giant object, no temporary copy on disk, no Python per record.
"""

from __future__ import annotations

import contextlib
import mmap
import os
import re
import threading
from pathlib import Path
from types import TracebackType

#: A record boundary inside a JSON array: `}` `,` `{` then a key and its colon. An unescaped quote
#: cannot sit inside a JSON string, so this cannot match within a value.
BOUNDARY = re.compile(rb'\}\s*,\s*\{\s*"[^"\\]*"\s*:')
_BLOCK = 1 << 24


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
    """Named pipes fed with parts of a file, each wrapped in brackets; use as a context manager."""

    def __init__(self, path: Path, spans: list[tuple[int, int]], workdir: Path) -> None:
        self.path, self.spans, self.workdir = path, spans, workdir
        self.pipes = [workdir / f"part-{i:03d}.json" for i in range(len(spans))]
        self._sent = [0] * len(spans)
        self._threads: list[threading.Thread] = []
        self._fd = -1

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
        self._fd = os.open(self.path, os.O_RDONLY)
        for i, pipe in enumerate(self.pipes):
            pipe.unlink(missing_ok=True)
            os.mkfifo(pipe, 0o600)
            thread = threading.Thread(target=self._feed, args=(i,), name=f"wellprod-feed-{i}", daemon=True)
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
            thread.join(timeout=5)
        for pipe in self.pipes:
            pipe.unlink(missing_ok=True)
        if self._fd >= 0:
            os.close(self._fd)

    def _feed(self, index: int) -> None:
        lo, hi = self.spans[index]
        try:
            out = os.open(self.pipes[index], os.O_WRONLY)
        except OSError:
            return
        try:
            if index:  # skip the comma that separates this part from the previous one
                head = os.pread(self._fd, 256, lo)
                lo += len(head) - len(head.lstrip(b" \t\r\n,"))
            os.write(out, b"[")
            offset = lo
            while offset < hi:
                sent = os.sendfile(out, self._fd, offset, min(hi - offset, _BLOCK))
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
