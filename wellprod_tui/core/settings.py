"""What each section of the config file holds, with its defaults: [paths], [import], [export], [ui], [decline],
[database], [lake]. Loading, checking and saving them is ``core.config``'s job."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Paths:
    """[paths]: where things are kept; empty means the platform default."""

    database: str = ""
    export_dir: str = ""
    rejects_dir: str = ""
    log_dir: str = ""


@dataclass(frozen=True)
class ImportSettings:
    """[import]: how files are imported."""

    strict: bool = False
    #: Rejects and warnings files kept per source file name (newest first); 0 keeps every one.
    keep_reports: int = 20
    memory_limit: str = "1GB"
    threads: int = 0
    #: Rows repeating a well and month in one file: reject (keep the first), first, last or sum.
    duplicates: str = "reject"
    #: Largest oil, liquids or water rate a record may hold (kbd); beyond it the row is rejected.
    max_rate_kbd: int = 10_000
    #: Largest gas rate a record may hold (MMcf/d).
    max_gas_mmcfd: int = 100_000


@dataclass(frozen=True)
class ExportSettings:
    """[export]: how CSV files are written."""

    neutralise_formulas: bool = True
    overwrite: bool = False
    #: Start CSV files with a UTF-8 byte-order mark, so that Excel shows ÆSIR rather than Ã†SIR.
    excel_bom: bool = False


@dataclass(frozen=True)
class UiSettings:
    """[ui]: the terminal app."""

    theme: str = "textual-dark"
    page_size: int = 500
    #: Units shown and exported: field, field-small or metric (see units.py).
    units: str = "field"


@dataclass(frozen=True)
class DeclineSettings:
    """[decline]: forecast cap, default economic limits (rates per day in the phase's unit), the fit window's
    rule, the default Dmin for b >= 1 and when a fit is flagged."""

    cap_years: int = 30
    qel_oil_kbd: float = 0.001
    qel_gas_mmcfd: float = 0.01
    qel_water_kbd: float = 0.0
    #: The peak that starts a fit window is taken among months with at least this many producing days.
    min_peak_days: float = 10.0
    #: A month this many times above both neighbours is a spike, left out of the fit (0: keep every month).
    spike_factor: float = 3.0
    #: Dmin (tangent, annual fraction) a forecast with b >= 1 takes when none is set (0: none).
    default_dmin_tangent: float = 0.1
    #: A fit with fewer points, or a larger rmse of ln q, is flagged.
    qc_min_points: int = 6
    qc_max_rmse_log: float = 0.5

    def qel(self, phase: str) -> float:
        """The default economic limit of a phase."""
        return {"oil": self.qel_oil_kbd, "gas": self.qel_gas_mmcfd, "water": self.qel_water_kbd}[phase]


@dataclass(frozen=True)
class DatabaseSettings:
    """[database]: sharing the file with other processes (cron imports, the app, read commands)."""

    #: Seconds an import waits for another process to let the database go (--wait overrides).
    lock_wait_import: int = 600
    #: Seconds a read command (stats, well, export...) waits.
    lock_wait_read: int = 30


@dataclass(frozen=True)
class LakeSettings:
    """[lake]: the team's Iceberg table (``wellprod lake push/pull``; needs the ``wellprod[lake]`` extra)."""

    #: Catalog kind as pyiceberg names it: sql (sqlite or Postgres), rest or glue.
    catalog_type: str = "sql"
    #: The catalog's URI; empty: a sqlite file lake/catalog.sqlite in the data dir.
    catalog_uri: str = ""
    #: Where the table's files are written: a folder or s3://bucket/prefix; empty: lake/ in the data dir.
    warehouse: str = ""
    #: The table, as namespace.name.
    table: str = "wellprod.production"
