"""What each ``wellprod`` subcommand does, over the core functions; printing lives here."""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from wellprod_tui import config, doctor, exporter, importing, queries, sharing, store, units
from wellprod_tui.config import bundled_sample_path
from wellprod_tui.exit_codes import EXIT_BAD_INPUT, EXIT_INTERRUPTED, EXIT_LOCKED, EXIT_OK, EXIT_USAGE
from wellprod_tui.formatting import allocation_line, cell, print_table, progress_line, summary_lines, visible
from wellprod_tui.window import Window, WindowError


class UserError(Exception):
    """An error shown as one line, with its exit code."""

    def __init__(self, message: str, exit_code: int = EXIT_BAD_INPUT) -> None:
        super().__init__(message)
        self.exit_code = exit_code


def wait_seconds(args: argparse.Namespace, cfg: config.Config, writing: bool) -> float:
    """How long a command waits for the database: --wait, else [database] lock_wait_import / lock_wait_read."""
    given = getattr(args, "wait", None)
    if given is not None:
        if given < 0:
            raise UserError("--wait must be 0 or more seconds", EXIT_USAGE)
        return float(given)
    return float(cfg.database.lock_wait_import if writing else cfg.database.lock_wait_read)


def _say_waiting(wait_s: float) -> sharing.WaitCallback:
    def say(holder: sharing.Holder) -> None:
        print(f"wellprod: waiting for {holder.describe()}… (up to {wait_s:g} s)", file=sys.stderr, flush=True)

    return say


@contextmanager
def opened(cfg: config.Config, read_only: bool, wait_s: float = 0.0) -> Iterator[store.Connection]:
    """A connection to the configured database, waiting up to ``wait_s`` for another process to let it go;
    store errors turned into UserError (exit 3 when it is still taken)."""
    con, _ = _connect(cfg, read_only, wait_s)
    try:
        yield con
    except store.Error as exc:  # a damaged file can open and fail only when a table is read
        raise UserError(str(store.translate_error(cfg.database_path, exc))) from exc
    finally:
        with contextlib.suppress(store.Error):
            con.close()


def _connect(cfg: config.Config, read_only: bool, wait_s: float) -> tuple[store.Connection, float]:
    if read_only and not cfg.database_path.exists():
        raise UserError(
            f"{cfg.database_path}: no database there yet. Import first (wellprod import), "
            "or check --db / WELLPROD_DB / [paths] database."
        )
    try:
        return sharing.connect_waiting(
            cfg.database_path, read_only, cfg.duckdb_settings, wait_s, _say_waiting(wait_s) if wait_s else None
        )
    except store.DatabaseLocked as exc:
        waited = f" (waited {wait_s:g} s)" if wait_s else ""
        raise UserError(f"{exc}{waited}", EXIT_LOCKED) from exc
    except KeyboardInterrupt as exc:
        raise UserError("interrupted while waiting for the database; nothing was changed", EXIT_INTERRUPTED) from exc
    except store.StoreError as exc:
        raise UserError(str(exc)) from exc


def dispatch(args: argparse.Namespace, cfg: config.Config) -> int:
    """Run one subcommand."""
    handler = {
        "import": cmd_import,
        "stats": cmd_stats,
        "well": cmd_well,
        "field": cmd_field,
        "search": cmd_search,
        "export": cmd_export,
        "doctor": cmd_doctor,
        "config": cmd_config,
        "sample": cmd_sample,
        "profiles": cmd_profiles,
        "decline": cmd_decline,
    }[args.command]
    try:
        return handler(args, cfg)
    except queries.NotFound as exc:  # no such well or field: one line, exit 1
        raise UserError(str(exc)) from exc


def view_options(args: argparse.Namespace, cfg: config.Config) -> tuple[units.UnitSystem, Window]:
    """The units (--units, else [ui] units) and time window (--from, --to) a command shows."""
    chosen = units.system(getattr(args, "units", None) or cfg.ui.units)
    try:
        window = Window.parse(getattr(args, "from_month", None), getattr(args, "to_month", None))
    except WindowError as exc:
        raise UserError(str(exc), EXIT_USAGE) from exc
    return chosen, window


def _scope_json(chosen: units.UnitSystem, window: Window) -> dict[str, Any]:
    """What JSON adds when the units or window are not the default (the default output stays as it was)."""
    return ({} if chosen is units.FIELD else {"units": chosen.name}) | (
        {} if window.is_all else {"window": window.as_json()})


def _print_json(data: Any) -> None:
    print(json.dumps(_finite(data), default=str, ensure_ascii=False))


def _finite(data: Any) -> Any:
    """JSON has no Infinity or NaN: such a figure is null (a value stored before rates were bounded)."""
    if isinstance(data, float):
        return data if math.isfinite(data) else None
    if isinstance(data, dict):
        return {k: _finite(v) for k, v in data.items()}
    if isinstance(data, list | tuple):
        return [_finite(v) for v in data]
    return data


def cmd_import(args: argparse.Namespace, cfg: config.Config) -> int:
    """Import files one by one, each in its own transaction."""
    paths = [Path(p) for p in args.paths] or [bundled_sample_path()]
    strict = args.strict or cfg.import_.strict
    worst = EXIT_OK
    con, waited = _connect(cfg, read_only=False, wait_s=wait_seconds(args, cfg, writing=True))
    try:
        for path in paths:
            with sharing.announced(cfg.database_path, "wellprod import", f"importing {path.name}"):
                code, summary = _import_one(
                    con, path, cfg, strict, show_progress=sys.stderr.isatty(), duplicates=args.duplicates,
                    profile=args.profile,
                )
            summary.waited_seconds, waited = round(waited, 3), 0.0
            worst = max(worst, code)
            if args.json:
                _print_json(_json_summary(summary))
            elif summary.status == "completed":
                print("\n".join(summary_lines(summary)))
            if code == EXIT_INTERRUPTED:
                return code
    finally:
        with contextlib.suppress(store.Error):
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
    con: store.Connection, path: Path, cfg: config.Config, strict: bool, show_progress: bool,
    duplicates: str | None = None, profile: str | None = None,
) -> tuple[int, importing.ImportSummary]:
    """Run one import in a worker thread so that ctrl+c and SIGTERM cancel it cleanly."""

    def report(progress: importing.ImportProgress) -> None:
        if show_progress:
            sys.stderr.write("\r" + progress_line(path, progress))
            sys.stderr.flush()

    job = importing.ImportJob.from_config(con, path, cfg, report, strict, duplicates, profile)
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

    handled = (signal.SIGINT, signal.SIGTERM) if _main_thread() else ()
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
            print(f"wellprod: {path}: interrupted after the commit: this file was imported", file=sys.stderr)
            return EXIT_INTERRUPTED, summary
        nothing = summary.records > 0 and summary.inserted + summary.updated + summary.unchanged == 0
        return (EXIT_BAD_INPUT if nothing else EXIT_OK), summary
    failed = job.summary
    if isinstance(error, importing.ImportCancelled) or interrupted.is_set():
        print(f"wellprod: {path}: import interrupted; the database is unchanged", file=sys.stderr)
        failed.status = "cancelled"
        return EXIT_INTERRUPTED, failed
    if isinstance(error, store.DatabaseLocked):
        raise UserError(str(error), EXIT_LOCKED) from error
    if isinstance(error, importing.ImportFailed | store.StoreError):
        print(f"wellprod: {visible(str(error))}", file=sys.stderr)
        return EXIT_BAD_INPUT, failed
    raise error


def _main_thread() -> bool:
    return threading.current_thread() is threading.main_thread()


def cmd_stats(args: argparse.Namespace, cfg: config.Config) -> int:
    """Print the database's figures."""
    chosen, window = view_options(args, cfg)
    with opened(cfg, read_only=True, wait_s=wait_seconds(args, cfg, writing=False)) as con:
        data = queries.stats(con, chosen, window)
        if args.json:
            columns, rows = queries.read_all(con, queries.allocation_view(chosen))
            allocation = [dict(zip(columns, r, strict=True)) for r in rows]
            _print_json({**data, **_scope_json(chosen, window), "field_allocation": allocation})
            return EXIT_OK
        _print_stats(con, data, chosen, window)
    return EXIT_OK


def _print_stats(con: store.Connection, data: dict[str, Any], chosen: units.UnitSystem, window: Window) -> None:
    print(f"database   {data['database']} ({data['database_bytes'] / 1e6:.1f} MB)")
    print(f"records    {data['records']:,}")
    print(f"wells      {data['wells']:,}")
    print(f"fields     {data['fields']:,}")
    print(f"periods    {data['first_period'] or '-'} .. {data['last_period'] or '-'}")
    if not window.is_all:
        print(f"window     {window.label} (volumes, periods, fields and top lists within it)")
    for phase in ("oil", "gas", "water", "liquids"):
        print(f"{phase:<10} {data[chosen.name_of(phase, 'total', phase)] or 0:,.1f} {chosen.label('total', phase)}")
    last = data["last_import"]
    if last:
        print(
            f"last import #{last['id']} {last['status']} {last['finished_at']:%Y-%m-%d %H:%M} {visible(last['file'])}"
        )
    if data["records"]:
        print()
        title = "Top fields by cumulative oil" + ("" if window.is_all else f" {window.label}")
        print_table(*queries.read_all(con, queries.top_fields_view(10, chosen, window)), title=title)
    if data["fields_with_both"]:
        print()
        print_table(
            *queries.read_all(con, queries.allocation_view(chosen)),
            title="Fields with field-level rows beside wells (months with both: reported vs sum of wells)",
        )


def cmd_well(args: argparse.Namespace, cfg: config.Config) -> int:
    """Print one well's summary and history."""
    chosen, window = view_options(args, cfg)
    with opened(cfg, read_only=True, wait_s=wait_seconds(args, cfg, writing=False)) as con:
        info = queries.well(con, args.code, chosen, window)
        view = queries.well_history_view(args.code, units=chosen, window=window, volumes=args.volumes)
        columns, rows = queries.read_all(con, view)
    if args.json:
        history = [dict(zip(columns, r, strict=True)) for r in rows]
        _print_json({**info, **_scope_json(chosen, window), "history": history})
        return EXIT_OK
    width = max(16, *map(len, info))
    if not window.is_all:
        print(f"{'window':<{width}} {window.label}")
    for key, value in info.items():
        print(f"{key:<{width}} {_fmt(value)}")
    print()
    print_table(columns, rows)
    return EXIT_OK


def cmd_field(args: argparse.Namespace, cfg: config.Config) -> int:
    """Print one field's summary, wells and monthly totals."""
    chosen, window = view_options(args, cfg)
    with opened(cfg, read_only=True, wait_s=wait_seconds(args, cfg, writing=False)) as con:
        info = queries.field_info(con, args.code, chosen, window)
        wells = queries.read_all(con, queries.field_wells_view(args.code, units=chosen, window=window))
        monthly = queries.read_all(con, queries.field_monthly_view(args.code, chosen, window))
    if args.json:
        _print_json(
            {
                **info,
                **_scope_json(chosen, window),
                "well_list": [dict(zip(wells[0], r, strict=True)) for r in wells[1]],
                "monthly": [dict(zip(monthly[0], r, strict=True)) for r in monthly[1]],
            }
        )
        return EXIT_OK
    width = max(20, *map(len, info))
    if not window.is_all:
        print(f"{'window':<{width}} {window.label}")
    for key, value in info.items():
        if value is not None:
            print(f"{key:<{width}} {_fmt(value)}")
    if allocation_line(info, chosen):
        print(allocation_line(info, chosen))
    print()
    print_table(*wells, title="Wells")
    print()
    print_table(*monthly, title="Monthly totals")
    return EXIT_OK


def cmd_search(args: argparse.Namespace, cfg: config.Config) -> int:
    """Find wells and fields (the first 50 of each; the output says when there are more)."""
    with opened(cfg, read_only=True, wait_s=wait_seconds(args, cfg, writing=False)) as con:
        wells = queries.search_wells(con, args.text, SEARCH_SHOWN)
        fields = queries.search_fields(con, args.text, SEARCH_SHOWN)
        counts = {
            kind: queries.search_count(con, kind, args.text) if len(found) == SEARCH_SHOWN else len(found)
            for kind, found in (("well", wells), ("field", fields))
        }
    if args.json:
        _print_json({"wells": wells, "fields": fields, "wells_total": counts["well"], "fields_total": counts["field"]})
        return EXIT_OK
    if not wells and not fields:
        print(f"nothing matches {args.text!r}")
        return EXIT_BAD_INPUT
    for title, kind, found in (("Fields", "field", fields), ("Wells", "well", wells)):
        if found:
            more = f" (showing {len(found)} of {counts[kind]:,})" if counts[kind] > len(found) else ""
            print_table(list(found[0]), [tuple(f.values()) for f in found], title=title + more)
            print()
    return EXIT_OK


SEARCH_SHOWN = 50


def cmd_export(args: argparse.Namespace, cfg: config.Config) -> int:
    """Export a view to CSV (or stdout); ctrl+c, SIGTERM or SIGHUP stop it with nothing left behind (130)."""
    interrupted = _Interruption()
    try:
        with _signals_interrupt(interrupted):
            return _export(args, cfg, interrupted)
    except (KeyboardInterrupt, store.InterruptException, RuntimeError) as exc:
        # DuckDB turns a KeyboardInterrupt raised while COPY runs into RuntimeError("Query interrupted")
        if not isinstance(exc, KeyboardInterrupt) and not interrupted.is_set():
            raise
        where = "standard output got part of it" if args.output == "-" else "no file written"
        raise UserError(f"export interrupted; {where}", EXIT_INTERRUPTED) from exc


class _Interruption(threading.Event):
    """A signal came; while a connection is set, it interrupts DuckDB's statement instead of raising where
    the signal lands (which could be between a temporary file's creation and its cleanup)."""

    con: store.Connection | None = None


@contextmanager
def _signals_interrupt(interrupted: _Interruption) -> Iterator[None]:
    """ctrl+c, SIGTERM and SIGHUP set ``interrupted``: they stop the running statement, or raise
    KeyboardInterrupt before a connection is open; the export then ends in order, temporary files gone."""

    def interrupt(_signum: int, _frame: object) -> None:
        interrupted.set()
        if interrupted.con is None:
            raise KeyboardInterrupt
        with contextlib.suppress(store.Error):
            interrupted.con.interrupt()

    handled = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP) if _main_thread() else ()
    previous = {signum: signal.signal(signum, interrupt) for signum in handled}
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def _export(args: argparse.Namespace, cfg: config.Config, interrupted: _Interruption) -> int:
    chosen, window = view_options(args, cfg)
    with opened(cfg, read_only=True, wait_s=wait_seconds(args, cfg, writing=False)) as con:
        interrupted.con = con
        if args.well is not None:
            queries.well(con, args.well)  # NotFound says so
            view = queries.well_history_view(args.well, units=chosen, window=window, volumes=args.volumes)
        elif args.field is not None:
            queries.field_info(con, args.field)
            view = (queries.field_monthly_view(args.field, chosen, window) if args.monthly
                    else queries.field_wells_view(args.field, units=chosen, window=window))
        else:
            view = queries.all_records_view(window)  # the record format, in stored units: it imports again
        neutralise = cfg.export.neutralise_formulas
        try:
            if args.output == "-":
                exporter.export_to_stream(con, view, neutralise_formulas=neutralise, excel_bom=cfg.export.excel_bom)
                if interrupted.is_set():
                    raise KeyboardInterrupt
                return EXIT_OK
            target = Path(args.output) if args.output else None
            result = exporter.export_view(
                con, view, target, cfg.export_dir, neutralise, args.force or cfg.export.overwrite, cfg.export.excel_bom
            )
            if interrupted.is_set():  # the signal came once the file was complete: the user wanted none
                if result.path is not None:
                    result.path.unlink(missing_ok=True)
                raise KeyboardInterrupt
        except exporter.ExportError as exc:
            if interrupted.is_set():
                raise KeyboardInterrupt from exc
            raise UserError(str(exc)) from exc
        except store.InterruptException as exc:  # not a database error: the signal stopped the COPY
            raise KeyboardInterrupt from exc
        finally:
            interrupted.con = None
    print(f"exported {result.rows:,} rows to {result.path}")
    return EXIT_OK


def cmd_doctor(args: argparse.Namespace, cfg: config.Config) -> int:
    """Check the database and print a report."""
    wait_s = wait_seconds(args, cfg, writing=False)
    report = doctor.check(cfg, wait_s, _say_waiting(wait_s) if wait_s else None)
    if args.json:
        _print_json(report)
    else:
        for line in doctor.report_lines(report):
            print(line)
    return {"healthy": EXIT_OK, "locked": EXIT_LOCKED}.get(report["status"], EXIT_BAD_INPUT)


def cmd_config(args: argparse.Namespace, cfg: config.Config) -> int:
    """Show the effective config and paths, or write a default config file."""
    if args.init:
        target = cfg.source or config.user_config_path()
        try:
            written = config.write_default(target, force=args.force)
        except config.ConfigError as exc:
            raise UserError(str(exc)) from exc
        print(f"wrote {written}")
        return EXIT_OK
    print(f"# config file: {cfg.source or f'{config.user_config_path()} (not present: defaults)'}")
    print(f"# database:    {cfg.database_path}")
    print(f"# export dir:  {cfg.export_dir}")
    print(f"# rejects dir: {cfg.rejects_dir}")
    print(f"# log file:    {cfg.log_dir / 'wellprod.log'}")
    print(f"# state file:  {config.user_state_path()}")
    import tomli_w  # noqa: PLC0415

    print(tomli_w.dumps(config.as_toml_dict(cfg)), end="")
    return EXIT_OK


def cmd_sample(args: argparse.Namespace, cfg: config.Config) -> int:
    """Write synthetic records for benchmarks and trials."""
    from wellprod_tui.sample import write_sample  # noqa: PLC0415  (polars only here)

    if args.records < 1:
        raise UserError("--records must be at least 1", EXIT_USAGE)
    path = write_sample(args.records, Path(args.output), args.format)
    print(f"wrote {args.records:,} records to {path}")
    return EXIT_OK


def cmd_profiles(args: argparse.Namespace, cfg: config.Config) -> int:
    """List the mapping profiles (built-in, then the user's) with the source columns each reads."""
    from wellprod_tui.importing import profiles  # noqa: PLC0415

    folder = config.user_profiles_dir()
    try:
        found = profiles.available(folder)
    except profiles.ProfileError as exc:
        raise UserError(str(exc)) from exc
    if args.json:
        _print_json({"user_profiles_dir": str(folder), "profiles": [p.as_json() for p in found]})
        return EXIT_OK
    for p in found:
        print(f"{p.name}  ({'built-in' if p.builtin else p.path})\n  {p.description}\n  source:  {p.source}")
        print(f"  rows:    {p.rows}; recognised by the header columns {', '.join(p.detect_columns())}")
        print(f"  reads:   {', '.join(p.source_columns())}\n")
    print(f"your own profiles: {folder}/*.toml (see README, 'Mapping profiles')")
    return EXIT_OK


def cmd_decline(args: argparse.Namespace, cfg: config.Config) -> int:
    """Fit and forecast a well or a field, or forecast from given parameters (no database)."""
    from wellprod_tui import decline_cli  # noqa: PLC0415  (numpy only here)

    try:
        request = decline_cli.request_from(args, cfg.decline)
    except decline_cli.UsageError as exc:
        raise UserError(f"decline: {exc}", EXIT_USAGE) from exc
    if request.mode == "parameters":
        data = decline_cli.answer(None, request)
    else:
        with opened(cfg, read_only=True, wait_s=wait_seconds(args, cfg, writing=False)) as con:
            try:
                data = decline_cli.answer(con, request)
            except decline_cli.DeclineError as exc:
                raise UserError(str(exc)) from exc
    if args.json:
        _print_json(data)
    else:
        print("\n".join(decline_cli.summary_lines(data)))
    return EXIT_OK


def _fmt(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:,.3f}" if math.isfinite(value) else cell(value)
    return "" if value is None else visible(str(value))
