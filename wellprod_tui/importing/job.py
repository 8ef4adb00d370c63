"""One import: the stages run in one transaction; a cancel, an error or an interrupt rolls all of it back.

``ImportJob.run`` reports progress through a plain callback (a few times a second; 100 % only once the
COMMIT returned) and can be cancelled from another thread with ``ImportJob.cancel``.
"""

from __future__ import annotations

import logging
import shutil
import tempfile
from pathlib import Path

from wellprod_tui import storage
from wellprod_tui.core.config import Config, user_profiles_dir
from wellprod_tui.importing import failures, spool, stages
from wellprod_tui.importing.file_scan import FileScan
from wellprod_tui.importing.progress import ProgressTracker
from wellprod_tui.importing.report import (
    ImportCancelled,
    ImportProblem,
    ImportSummary,
    ProgressCallback,
)
from wellprod_tui.importing.validation import RateLimits

log = logging.getLogger(__name__)


class ImportJob:
    """One file imported into one database connection."""

    def __init__(
        self,
        con: storage.Connection,
        path: Path,
        rejects_dir: Path,
        strict: bool = False,
        on_progress: ProgressCallback | None = None,
        neutralise_formulas: bool = True,
        keep_reports: int = 0,
        duplicates: str = "reject",
        profile: str | None = None,
        profiles_dir: Path | None = None,
        rate_limits: RateLimits | None = None,
    ) -> None:
        self.con = con
        self.path = Path(path).expanduser().absolute()
        self._cancellation = stages.Cancellation(con)
        self._ctx = stages.ImportContext(
            con=con,
            path=self.path,
            rejects_dir=Path(rejects_dir),
            progress=ProgressTracker(on_progress or (lambda _p: None)),
            cancellation=self._cancellation,
            workdir=Path(),
            summary=ImportSummary(file=str(self.path), format="?"),
            strict=strict,
            neutralise_formulas=neutralise_formulas,
            keep_reports=keep_reports,
            duplicates=duplicates,
            profile=profile,
            profiles_dir=profiles_dir,
            limits=rate_limits or RateLimits(),
        )
        self._database = storage.database_path(con)  # asked now: after a fatal error the connection is unusable

    @classmethod
    def from_config(
        cls,
        con: storage.Connection,
        path: Path,
        cfg: Config,
        on_progress: ProgressCallback | None = None,
        strict: bool | None = None,
        duplicates: str | None = None,
        profile: str | None = None,
    ) -> ImportJob:
        """The import as the configuration says (the CLI and the app alike); arguments given override it."""
        settings = cfg.import_
        return cls(
            con,
            path,
            cfg.rejects_dir,
            strict=settings.strict if strict is None else strict,
            on_progress=on_progress,
            neutralise_formulas=cfg.export.neutralise_formulas,
            keep_reports=settings.keep_reports,
            duplicates=duplicates or settings.duplicates,
            profile=profile,
            profiles_dir=user_profiles_dir(),
            rate_limits=RateLimits(settings.max_rate_kbd, settings.max_gas_mmcfd),
        )

    @property
    def summary(self) -> ImportSummary:
        """What the import did so far; after run() fails, says why (status, message, rejects)."""
        return self._ctx.summary

    def cancel(self) -> None:
        """Stop the import as soon as possible; it will roll back and raise ImportCancelled.
        Once the commit has begun it is too late: the import completes and says so."""
        self._cancellation.cancel()

    def run(self) -> ImportSummary:
        """Import the file; return its summary or raise ImportFailed / ImportCancelled / StoreError."""
        ctx = self._ctx
        ctx.workdir = Path(tempfile.mkdtemp(prefix="wellprod-import-"))
        scan: FileScan | None = None
        try:
            if not spool.is_regular(self.path) and self.path.exists() and not self.path.is_dir():
                ctx.progress.report("prepare")
                ctx.read_path = spool.spool(self.path, ctx.workdir, lambda: self._cancellation.requested)
            source = stages.describe(ctx)
            scan = FileScan(source.path, look_for_booleans=source.format in ("json", "ndjson"))
            self._in_transaction(ctx, scan, failures.identity(source.path))
        except BaseException as exc:
            error = self._failed(exc, scan)
            if error is exc:
                raise
            raise error from exc
        finally:
            shutil.rmtree(ctx.workdir, ignore_errors=True)
        try:  # committed: nothing that happens now may call it failed
            ctx.progress.committed()
        except Exception:  # a progress display that went away (a closed terminal)
            log.warning("could not report the end of the import of %s", self.path, exc_info=True)
        log.info("imported %s: %s", self.path, ctx.summary.as_json())
        return ctx.summary

    def _in_transaction(self, ctx: stages.ImportContext, scan: FileScan, before: tuple[int, int]) -> None:
        """Every stage, then the record of the import and COMMIT; roll back on any error (also when the file
        changed while it was read, or the database file is no longer the one opened)."""
        self.con.execute("BEGIN TRANSACTION")
        try:
            self._stages(ctx, scan)
            if ctx.read_fast and scan.saw_booleans():  # rare: true/false may sit in a number field
                log.info("%s: the file holds true/false; reading its numbers again as text", self.path)
                stages.rollback(self.con)
                self.con.execute("BEGIN TRANSACTION")
                stages.forget_reports(ctx)
                ctx.text_only = True
                self._stages(ctx, scan)
            sha256 = scan.sha256()
            failures.refuse_changed_file(self.path, before, failures.identity(scan.path))
            self._cancellation.begin_commit(self.path)
            ctx.progress.report("committing")
            ctx.summary.seconds = round(ctx.progress.elapsed(), 3)
            stages.record(ctx, sha256, before[0])
            storage.check_same_file(self.con)
            self.con.execute("COMMIT")
        except BaseException:
            stages.rollback(self.con)
            raise

    @staticmethod
    def _stages(ctx: stages.ImportContext, scan: FileScan) -> None:
        stages.read(ctx)
        scan.start()  # after DuckDB's read, beside the merge: the read takes both cores
        stages.find_duplicates(ctx)
        stages.report_problems(ctx)
        stages.merge(ctx)
        stages.refresh_summaries(ctx)

    def _failed(self, exc: BaseException, scan: FileScan | None) -> BaseException:
        """Record why the import failed (after the rollback); the error the user should see."""
        summary = self._ctx.summary
        summary.seconds = round(self._ctx.progress.elapsed(), 3)
        error = failures.user_error(exc, self._ctx, self._database, self._cancellation.requested)
        summary.status = "cancelled" if isinstance(error, ImportCancelled) else "failed"
        summary.message = str(error)
        log.warning("import %s: %s", summary.status, error, exc_info=not isinstance(error, ImportProblem))
        if scan is not None:
            scan.stop()
        try:
            size = self._ctx.source.size_bytes if self._ctx.source else 0
            stages.record(self._ctx, None, size)
        except storage.Error:
            log.warning("could not record the failed import of %s", self.path, exc_info=True)
        return error


def import_file(
    con: storage.Connection,
    path: Path,
    rejects_dir: Path,
    strict: bool = False,
    on_progress: ProgressCallback | None = None,
    duplicates: str = "reject",
    profile: str | None = None,
    profiles_dir: Path | None = None,
) -> ImportSummary:
    """Import one file into the database; see ImportJob. ``profile`` names a mapping profile (else a CSV
    whose header is not the record's is matched against the built-in and ``profiles_dir`` profiles)."""
    job = ImportJob(con, path, rejects_dir, strict=strict, on_progress=on_progress, duplicates=duplicates,
                    profile=profile, profiles_dir=profiles_dir)
    return job.run()
