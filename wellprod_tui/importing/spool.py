"""Input that can be read only once (a pipe, a FIFO, /dev/stdin): copied whole to a temporary file first.

Detection, the reader and the hash each read a file from its start; a pipe gives its bytes once, so it is
spooled in large blocks (no per-row work) and every stage reads the copy: no byte is lost. A FIFO with no
writer yet is waited for without blocking, so that a cancel (ctrl+c, SIGTERM, Escape) stops the wait.
"""

from __future__ import annotations

import errno
import os
import select
import stat
from collections.abc import Callable
from pathlib import Path

from wellprod_tui.importing.report import ImportCancelled, ImportFailed
from wellprod_tui.storage.connection import is_disk_full

_BLOCK = 1 << 20
_POLL_MS = 200


def is_regular(path: Path) -> bool:
    """Whether ``path`` is a regular file (or a symlink to one); False for pipes, devices and missing paths."""
    try:
        return stat.S_ISREG(path.stat().st_mode)
    except OSError:
        return False


#: Characters DuckDB's readers take as a pattern of file names, not as themselves.
GLOB_CHARACTERS = frozenset("*?[]{}")


def names_a_pattern(path: Path) -> bool:
    """Whether DuckDB's readers would read ``path`` as a pattern (``a[b].csv`` would read ``ab.csv``)."""
    return any(c in GLOB_CHARACTERS for c in str(path))


def linked(path: Path, folder: Path) -> Path:
    """A link in ``folder``, under a plain name with ``path``'s extension, to the file ``path`` names: what
    the readers are given instead of a name they would expand as a pattern. A path is a path."""
    suffix = path.suffix if path.suffix[1:].isalnum() else ""
    link = folder / f"linked{suffix}"
    link.symlink_to(path.absolute())
    return link


def spool(path: Path, folder: Path, cancelled: Callable[[], bool]) -> Path:
    """Copy the whole of a pipe or device ``path`` into ``folder``; return the copy. Raise ImportCancelled
    when ``cancelled()`` turns true while waiting, ImportFailed when the copy cannot be written."""
    copy = folder / f"spooled{path.suffix if len(path.suffix) <= 8 else ''}"
    try:
        source = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except OSError as exc:
        raise ImportFailed(f"{path}: cannot be read ({exc.strerror})") from exc
    try:
        with copy.open("wb") as out:
            _copy_all(path, source, out.fileno(), cancelled)
    except OSError as exc:
        if is_disk_full(str(exc)) or exc.errno in (errno.ENOSPC, errno.EFBIG):
            raise ImportFailed(
                f"{folder.parent}: the temporary folder is full: a pipe is copied there before it is imported "
                f"({exc.strerror}). Free space there or set TMPDIR to a larger folder; nothing was imported."
            ) from exc
        raise ImportFailed(f"{path}: cannot be read ({exc.strerror})") from exc
    finally:
        os.close(source)
    return copy


def _copy_all(path: Path, source: int, out: int, cancelled: Callable[[], bool]) -> None:
    poller = select.poll()
    poller.register(source, select.POLLIN | select.POLLHUP)
    while True:
        if cancelled():
            raise ImportCancelled(f"{path}: import cancelled; the database is unchanged")
        if not poller.poll(_POLL_MS):
            continue  # no writer yet, or a slow one
        try:
            block = os.read(source, _BLOCK)
        except BlockingIOError:
            continue
        if not block:
            return
        view = memoryview(block)
        while view:
            view = view[os.write(out, view) :]
