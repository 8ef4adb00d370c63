"""An import kept in progress: a FIFO that has given a few records and whose writer stays open until told."""

from __future__ import annotations

import fcntl
import os
import struct
import termios
import time
from pathlib import Path

from wellprod_tui.importing.sample import write_sample


class HeldFeed:
    """A named pipe holding ``records`` NDJSON records; the import reading it waits until ``finish()``."""

    def __init__(self, path: Path, records: int) -> None:
        self.path = path
        self.records = records
        os.mkfifo(path)
        rows = write_sample(records, path.with_name(path.name + ".rows"), "ndjson")
        self._writer: int | None = os.open(path, os.O_RDWR)  # O_RDWR: open now, without waiting for a reader
        os.write(self._writer, rows.read_bytes())  # a few records fit the pipe's buffer
        rows.unlink()

    def unread_bytes(self) -> int:
        """How much of what was written no reader has taken yet."""
        if self._writer is None:
            return 0
        raw = fcntl.ioctl(self._writer, termios.FIONREAD, struct.pack("i", 0))
        return int(struct.unpack("i", raw)[0])

    def finish(self, timeout: float = 30.0) -> None:
        """Once the import has taken the records, close the writer: it reads end-of-file and goes on."""
        deadline = time.monotonic() + timeout
        while self.unread_bytes() and time.monotonic() < deadline:
            time.sleep(0.02)
        self.close()

    def close(self) -> None:
        """Close the writer now, whether or not anyone read (a cancelled import never will)."""
        if self._writer is not None:
            os.close(self._writer)
            self._writer = None


    def __enter__(self) -> HeldFeed:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    async def __aenter__(self) -> HeldFeed:
        return self

    async def __aexit__(self, *exc: object) -> None:
        self.close()


def held_feed(path: Path, records: int = 20) -> HeldFeed:
    """A FIFO at ``path`` an import can start on and stays in, until ``finish()`` or the (async) with ends."""
    return HeldFeed(path, records)
