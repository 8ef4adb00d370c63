"""What an import reports: its progress as it runs, its summary when done, and the errors it raises."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any


class ImportProblem(Exception):
    """An import that committed nothing; the message names the file and what went wrong."""


class ImportFailed(ImportProblem):
    """The file could not be imported (unreadable, malformed, or rejected rows under --strict)."""


class ImportCancelled(ImportProblem):
    """The import was cancelled; the database is unchanged."""


@dataclass(frozen=True)
class ImportProgress:
    """Where an import is: its phase, overall fraction (0..1, 1 only once committed), bytes and records
    known so far (``bytes_done`` while reading)."""

    phase: str
    fraction: float
    elapsed_s: float
    bytes_total: int
    records: int | None = None
    bytes_done: int | None = None


@dataclass
class ImportSummary:
    """What an import did."""

    file: str
    format: str
    detected_by: str = ""
    records: int = 0
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    warnings: int = 0
    warning_counts: dict[str, int] = field(default_factory=dict)
    rejects_file: str | None = None
    warnings_file: str | None = None
    first_rejects: list[dict[str, Any]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    seconds: float = 0.0
    #: Seconds the command waited for another process to let the database go.
    waited_seconds: float = 0.0
    status: str = "completed"
    message: str = ""

    def as_json(self) -> dict[str, Any]:
        """The summary as the CLI's --json object."""
        return asdict(self)


ProgressCallback = Callable[[ImportProgress], None]
