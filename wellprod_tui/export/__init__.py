"""What leaves the store: any view as a CSV file or stream (``csv_files``), the production table as a
hive-partitioned Parquet lake (``lake``). Both stream through DuckDB's COPY and leave nothing half-written."""

from wellprod_tui.export.csv_files import (
    ExportError,
    ExportResult,
    export_file_name,
    export_to_stream,
    export_view,
    file_sql,
)
from wellprod_tui.export.lake import LAKE_COLUMNS, LakeResult, export_lake

__all__ = [
    "LAKE_COLUMNS",
    "ExportError",
    "ExportResult",
    "LakeResult",
    "export_file_name",
    "export_lake",
    "export_to_stream",
    "export_view",
    "file_sql",
]
