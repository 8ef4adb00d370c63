"""The import, read top to bottom in the order data flows: batch (many files joined into one to read) →
sources (what a file is) → json_feed and
file_scan (how its bytes reach DuckDB) → validation and tables (typed rows, their problems) → run (what
every stage shares: connection, file, options, progress, cancel) → stages (describe, read, duplicates,
problems, merge, summaries: each returns a typed result the next takes) → progress and report → failures
(errors told the user's way) → job (one transaction; ``ImportJob.from_config`` is the one way in).
"""

from wellprod_tui.importing.job import ImportJob
from wellprod_tui.importing.progress import PHASES
from wellprod_tui.importing.report import (
    ImportCancelled,
    ImportFailed,
    ImportProblem,
    ImportProgress,
    ImportSummary,
    ProgressCallback,
)
from wellprod_tui.importing.run import ImportOptions
from wellprod_tui.importing.validation import RateLimits

__all__ = [
    "PHASES",
    "RateLimits",
    "ImportCancelled",
    "ImportFailed",
    "ImportJob",
    "ImportOptions",
    "ImportProblem",
    "ImportProgress",
    "ImportSummary",
    "ProgressCallback",
]
