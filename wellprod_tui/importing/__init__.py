"""The import, read top to bottom in the order data flows: sources (what a file is) → json_feed and
file_scan (how its bytes reach DuckDB) → validation and tables (typed rows, their problems) → stages
(read, duplicates, problems, merge, summaries, record) → progress and report → failures (errors told the
user's way) → job (one transaction).
"""

from wellprod_tui.importing.job import ImportJob, import_file
from wellprod_tui.importing.progress import PHASES
from wellprod_tui.importing.report import (
    ImportCancelled,
    ImportFailed,
    ImportProblem,
    ImportProgress,
    ImportSummary,
)
from wellprod_tui.importing.validation import RateLimits

__all__ = [
    "PHASES",
    "RateLimits",
    "ImportCancelled",
    "ImportFailed",
    "ImportJob",
    "ImportProblem",
    "ImportProgress",
    "ImportSummary",
    "import_file",
]
