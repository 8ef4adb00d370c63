"""What an import reports: its progress as it runs, its summary when done, and the errors it raises."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from wellprod_tui.core.text import plural, visible


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
    #: The mapping profile the file was read through, if any.
    profile: str = ""
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
    #: The duplicates policy used, and the rows it left out or added into another row (not rejected).
    duplicates: str = "reject"
    duplicates_merged: int = 0
    seconds: float = 0.0
    #: Seconds the command waited for another process to let the database go.
    waited_seconds: float = 0.0
    status: str = "completed"
    message: str = ""
    #: The files of a folder, zip or several paths imported as one: name, size_bytes, sha256, lines.
    files: list[dict[str, Any]] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        """The summary as the CLI's --json object."""
        return asdict(self)


ProgressCallback = Callable[[ImportProgress], None]


def progress_line(path: Path, progress: ImportProgress) -> str:
    """One status line for a terminal: percent, phase, speed."""
    speed = ""
    if progress.elapsed_s > 0.2 and progress.bytes_done is not None:
        speed = f" {progress.bytes_done / progress.elapsed_s / 1e6:.0f} MB/s"
    records = f" {progress.records:,} records" if progress.records else ""
    text = f"{visible(path.name)}: {progress.fraction * 100:5.1f}% {progress.phase}{records}{speed}"
    return text[: shutil.get_terminal_size((80, 24)).columns - 1]


SHOWN_REJECTS = 5


def summary_lines(summary: ImportSummary) -> list[str]:
    """A human summary of an import."""
    lines = [
        f"{visible(summary.file)} ({summary.format}, {summary.detected_by}): "
        f"{summary.records:,} records in {summary.seconds:.2f} s" + (" (all files)" if summary.files else ""),
        f"  inserted {summary.inserted:,}, updated {summary.updated:,}, unchanged {summary.unchanged:,}, "
        f"rejected {summary.rejected:,}, warnings {summary.warnings:,}",
    ]
    for code, count in summary.warning_counts.items():
        lines.append(f"  warning: {code.replace('_', ' ')}: {plural(count, 'row')}")
    lines += [f"  note: {visible(note)}" for note in summary.notes]
    shown = summary.first_rejects[:SHOWN_REJECTS]
    for reject in shown:
        if reject["record"] is None:
            where = f"line {reject['line']}"
        else:
            where = f"record {reject['record']}" + (f" (line {reject['line']})" if reject["line"] else "")
        if reject.get("file"):
            where = f"{reject['file']} {where}"
        lines.append(
            visible(f"  rejected {where}: {reject['field']} = {reject['value']!r}: {reject['reason']}")
        )
    if summary.rejected > len(shown):
        lines.append(f"  … and more: {plural(summary.rejected, 'rejected row')} in all")
    if summary.rejects_file:
        lines.append(f"  rejected rows and reasons: {visible(summary.rejects_file)}")
    if summary.warnings_file:
        lines.append(f"  rows with warnings: {visible(summary.warnings_file)}")
    return lines


def file_lines(summary: ImportSummary) -> list[str]:
    """One line per file of many imported as one (for --verbose): its name, size, lines and SHA-256."""
    return [
        f"  file {visible(str(f['name']))}: {f['size_bytes']:,} bytes, {plural(int(f['lines']), 'line')}, "
        f"sha256 {f['sha256']}"
        for f in summary.files
    ]
