"""Why an import failed, told the way its user should read it: the file, the folder or the database named."""

from __future__ import annotations

import re
from pathlib import Path

from wellprod_tui import storage
from wellprod_tui.importing import sources
from wellprod_tui.importing.read_errors import explain_read_error
from wellprod_tui.importing.report import ImportCancelled, ImportFailed

#: A path DuckDB quotes in its message, "..." or '...' (or \"...\" inside an async write's JSON detail).
_QUOTED_PATH = re.compile(r"[\"'](/[^\"'\\]+)\\?[\"']")


def user_error(
    exc: BaseException,
    path: Path,
    read_path: Path | None,
    source: sources.Source | None,
    rejects_dir: Path,
    database: Path,
    cancelled: bool,
) -> BaseException:
    """The error to show for ``exc`` raised by the import of ``path`` (read from ``read_path`` when it was a
    pipe; ``source`` once described) into ``database`` (``exc`` itself if it is not one an import explains)."""
    if cancelled or isinstance(exc, storage.InterruptException | KeyboardInterrupt):
        return ImportCancelled(f"{path}: import cancelled; the database is unchanged")
    if isinstance(exc, sources.SourceError):
        return ImportFailed(_named(str(exc), read_path, path))
    if isinstance(exc, OSError) and not storage.is_disk_full(str(exc)):  # the file went away, or unreadable
        where = exc.filename or path
        return ImportFailed(f"{where}: {exc.strerror or exc} while importing {path}; nothing imported")
    if isinstance(exc, storage.Error):
        full = _full_folder(str(exc), database, rejects_dir)
        if full:
            return full
        explained = explain_read_error(read_path or path, exc, source)
        if explained:
            return ImportFailed(_named(explained, read_path, path))
        return storage.translate_error(database, exc)
    return exc


def identity(path: Path) -> tuple[int, int]:
    """(size, mtime in ns): what changes when a file is written to while it is read."""
    info = path.stat()
    return info.st_size, info.st_mtime_ns


def refuse_changed_file(path: Path, before: tuple[int, int], after: tuple[int, int]) -> None:
    """Raise ImportFailed if the file's identity changed between ``before`` and ``after``."""
    if before != after:
        raise ImportFailed(
            f"{path}: the file changed while it was being imported ({before[0]:,} bytes, now "
            f"{after[0]:,}); nothing imported. Import it again once it is complete."
        )


def _full_folder(text: str, database: Path, rejects_dir: Path) -> ImportFailed | None:
    """A disk-full error on a file that is not the database: name the folder that is full."""
    if not storage.is_disk_full(text):
        return None
    named = _QUOTED_PATH.search(text)
    if not named:
        return None
    written = Path(named.group(1))
    if written.name.startswith(database.name) and written.parent == database.parent:
        return None  # the database or its WAL: the store's message says so
    folder = written.parent
    rejects = rejects_dir.expanduser().absolute()
    what = "the rejects folder" if folder == rejects else "the temporary folder"
    return ImportFailed(
        f"{folder}: {what} is full (writing {written.name}); nothing was imported and the database "
        "is unchanged. Free space there" + (" or set [paths] rejects_dir." if folder == rejects else ".")
    )


def _named(message: str, read_path: Path | None, path: Path) -> str:
    """A message about the copy of a pipe, told about the pipe the user named."""
    return message.replace(str(read_path), str(path)) if read_path else message
