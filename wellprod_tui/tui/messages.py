"""Every message of the app, in the past tense: what the backend and the workers tell the App and the screens."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from textual.message import Message

if TYPE_CHECKING:
    from wellprod_tui.importing import ImportProgress, ImportSummary


class DatabaseOpened(Message):
    """The database is ready; ``empty`` when it holds no record."""

    def __init__(self, empty: bool) -> None:
        super().__init__()
        self.empty = empty


class DatabaseFailed(Message):
    """The database could not be opened; the message says why and what to do."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text


class DatabaseBusyChanged(Message):
    """Another process holds the database and reads wait for it: ``text`` says who (empty: free again)."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text


class ImportsNoticed(Message):
    """Imports other processes completed since the app last looked."""

    def __init__(self, imports: list[dict[str, Any]]) -> None:
        super().__init__()
        self.imports = imports


class DataChanged(Message):
    """An import (the app's or another process's) committed: every figure shown is to be read again."""


class ImportProgressed(Message):
    """Where the running import is (coalesced to a few a second)."""

    def __init__(self, progress: ImportProgress) -> None:
        super().__init__()
        self.progress = progress


class ImportEnded(Message):
    """The import finished (summary), was cancelled, or failed (text)."""

    def __init__(self, summary: ImportSummary | None, text: str = "", was_cancelled: bool = False) -> None:
        super().__init__()
        self.summary, self.text, self.was_cancelled = summary, text, was_cancelled


class ExportEnded(Message):
    """An export wrote its file (``ok``) or could not; ``text`` says where and how many rows, or why not."""

    def __init__(self, text: str, ok: bool) -> None:
        super().__init__()
        self.text, self.ok = text, ok


class LastMonthRead(Message):
    """The database's last month was read, for a window of the last ``months`` months (None: no month yet)."""

    def __init__(self, months: int, latest: date | None) -> None:
        super().__init__()
        self.months, self.latest = months, latest
