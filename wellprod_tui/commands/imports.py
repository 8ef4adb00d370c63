"""``wellprod import``: a file, or many as one (a folder, a zip, several paths of one layout), in one
transaction, in a worker thread so that ctrl+c and SIGTERM cancel it cleanly; paths of different layouts are
imported one by one. Waits for a database another process holds."""

from __future__ import annotations

import argparse
import contextlib
import signal
import sys
import threading
from pathlib import Path
from typing import Any

from wellprod_tui import importing, storage
from wellprod_tui.commands.common import UserError, connect, main_thread, print_json, wait_seconds
from wellprod_tui.core import config
from wellprod_tui.core.config import bundled_sample_path
from wellprod_tui.core.exit_codes import EXIT_BAD_INPUT, EXIT_INTERRUPTED, EXIT_LOCKED, EXIT_OK
from wellprod_tui.core.text import say, visible
from wellprod_tui.importing import batch
from wellprod_tui.importing.report import file_lines, progress_line, summary_lines
from wellprod_tui.storage import locking


def cmd_import(args: argparse.Namespace, cfg: config.Config) -> int:
    """Import the paths as one when they are files of one layout (or a folder, or a zip), else one by one."""
    paths = [Path(p) for p in args.paths] or [bundled_sample_path()]
    imports: list[list[Path]] = [paths] if len(paths) > 1 and batch.one_layout(paths) else [[p] for p in paths]
    strict = args.strict or cfg.import_.strict
    worst = EXIT_OK
    con, waited = connect(cfg, read_only=False, wait_s=wait_seconds(args, cfg, writing=True))
    try:
        for group in imports:
            path = batch.shown_name(group)
            with locking.announced(cfg.database_path, "wellprod import", f"importing {path.name}"):
                code, summary = _import_one(
                    con, group, cfg, strict, show_progress=sys.stderr.isatty(), duplicates=args.duplicates,
                    profile=args.profile,
                )
            summary.waited_seconds, waited = round(waited, 3), 0.0
            worst = max(worst, code)
            if args.json:
                print_json(_json_summary(summary))
            elif summary.status == "completed":
                say("\n".join(summary_lines(summary) + (file_lines(summary) if args.verbose else [])))
            if code == EXIT_INTERRUPTED:
                return code
    finally:
        with contextlib.suppress(storage.Error):
            con.close()
    return worst


def _json_summary(summary: importing.ImportSummary) -> dict[str, Any]:
    keys = (
        "file",
        "format",
        "records",
        "inserted",
        "updated",
        "unchanged",
        "rejected",
        "warnings",
        "rejects_file",
        "warnings_file",
        "seconds",
        "status",
    )
    data = summary.as_json()
    return {**{k: data[k] for k in keys}, **{k: v for k, v in data.items() if k not in keys}}


def _import_one(
    con: storage.Connection, paths: list[Path], cfg: config.Config, strict: bool, show_progress: bool,
    duplicates: str | None = None, profile: str | None = None,
) -> tuple[int, importing.ImportSummary]:
    """Run one import (of one file, or of many as one) in a worker thread so that ctrl+c and SIGTERM cancel
    it cleanly."""
    path = batch.shown_name(paths)

    def report(progress: importing.ImportProgress) -> None:
        if show_progress:
            sys.stderr.write("\r" + progress_line(path, progress))
            sys.stderr.flush()

    job = importing.ImportJob.from_config(con, paths, cfg, report, strict, duplicates, profile)
    outcome: dict[str, Any] = {}

    def work() -> None:
        try:
            outcome["summary"] = job.run()
        except BaseException as exc:  # handed to the main thread
            outcome["error"] = exc

    interrupted = threading.Event()

    def on_signal(_signum: int, _frame: object) -> None:
        # cancel from the handler instead of raising: a KeyboardInterrupt inside Thread.join can leave
        # the loop while the worker still uses the connection (then close() fails and the process aborts)
        interrupted.set()
        job.cancel()

    handled = (signal.SIGINT, signal.SIGTERM) if main_thread() else ()
    previous = {signum: signal.signal(signum, on_signal) for signum in handled}
    worker = threading.Thread(target=work, name="wellprod-import", daemon=True)
    worker.start()
    try:
        while worker.is_alive():
            worker.join(0.1)
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
        if show_progress:
            sys.stderr.write("\r\x1b[K")
    error = outcome.get("error")
    if error is None:
        summary: importing.ImportSummary = outcome["summary"]
        if interrupted.is_set():  # the signal came once the commit had begun: this file is in
            say(f"wellprod: {path}: interrupted after the commit: this file was imported", err=True)
            return EXIT_INTERRUPTED, summary
        nothing = summary.records > 0 and summary.inserted + summary.updated + summary.unchanged == 0
        return (EXIT_BAD_INPUT if nothing else EXIT_OK), summary
    failed = job.summary
    if isinstance(error, importing.ImportCancelled) or interrupted.is_set():
        say(f"wellprod: {path}: import interrupted; the database is unchanged", err=True)
        failed.status = "cancelled"
        return EXIT_INTERRUPTED, failed
    if isinstance(error, storage.DatabaseLocked):
        raise UserError(str(error), EXIT_LOCKED) from error
    if isinstance(error, importing.ImportFailed | storage.StoreError):
        say(f"wellprod: {visible(str(error))}", err=True)
        return EXIT_BAD_INPUT, failed
    raise error


