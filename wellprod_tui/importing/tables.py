"""Every temporary table an import makes, by name, and the one definition of a valid staged row.

The stages talk through these tables: read fills STAGED (typed columns plus ``problems``), the duplicates
stage fills DUPLICATES, the merge reads the VALID view and writes CHANGES. They live in the import's
connection and transaction only.
"""

from __future__ import annotations

#: The file's rows, typed, with a ``problems`` column that is NULL for a good row.
STAGED = "staged"
#: Rows of STAGED that repeat a key and are not kept as they are: (rid, kept_rid, same).
DUPLICATES = "duplicates"
#: A view: the rows the import keeps.
VALID = "valid"
#: Rows the merge inserts or updates, with the old created_at.
CHANGES = "changes"
#: The wells of a merge that wrote its few changes in place: only their summaries are rebuilt.
TOUCHED_WELLS = "touched_wells"
#: DuckDB's CSV reader's own tables of lines it set aside (store_rejects).
CSV_REJECTS = "csv_rejects"
CSV_SCANS = "csv_scans"
#: Lines the CSV reader set aside, numbered to turn staged row numbers into file records.
CSV_SKIPS = "csv_skips"
#: Where a CSV's rows and set-aside lines lie when lines and records differ (see read_errors.csv_line_map).
CSV_ROW_LINES = "csv_row_lines"
CSV_ASIDE_LINES = "csv_aside_lines"
#: A mapping profile's file, as text, in file order (see profile_sql).
PROFILE_ROWS = "profile_rows"
#: Every temporary table above (what a new reading or the end of an import drops).
ALL = (
    STAGED, DUPLICATES, CHANGES, TOUCHED_WELLS, CSV_REJECTS, CSV_SCANS, CSV_SKIPS, CSV_ROW_LINES, CSV_ASIDE_LINES,
    PROFILE_ROWS,
)


def valid_rows(alias: str = "s") -> str:
    """SQL condition on STAGED (as ``alias``): the row has no problem and is the row kept for its key."""
    return f"{alias}.problems IS NULL AND {alias}.rowid NOT IN (SELECT rid FROM {DUPLICATES})"


#: The rows the import keeps, as a SELECT over STAGED.
VALID_SELECT = f"SELECT * FROM {STAGED} s WHERE {valid_rows('s')}"
