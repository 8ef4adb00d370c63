"""The import, read top to bottom in the order data flows: sources (what a file is) → json_feed and
file_scan (how its bytes reach DuckDB) → validation and tables (typed rows, their problems) → stages
(read, duplicates, problems, merge, summaries, record) → progress and report → job (one transaction).
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

__all__ = [
    "PHASES",
    "ImportCancelled",
    "ImportFailed",
    "ImportJob",
    "ImportProblem",
    "ImportProgress",
    "ImportSummary",
    "import_file",
]
