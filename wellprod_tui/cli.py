"""The ``wellprod`` command: argparse over the core. No subcommand opens the TUI (imported lazily)."""

from __future__ import annotations

import argparse
import contextlib
import logging
import signal
import sys
import threading
from collections.abc import Iterator, Sequence

from wellprod_tui import __version__
from wellprod_tui.core import vocabulary
from wellprod_tui.core.exit_codes import EXIT_BAD_INPUT, EXIT_INTERRUPTED, EXIT_OK, EXIT_USAGE
from wellprod_tui.core.text import say, visible

log = logging.getLogger(__name__)


class Stopped(KeyboardInterrupt):
    """SIGTERM or SIGHUP came: the command stops as for ctrl+c (what it was doing is rolled back)."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


@contextlib.contextmanager
def _signals_stop() -> Iterator[None]:
    """SIGTERM and SIGHUP raise ``Stopped`` for the time of a command (a command may set its own meanwhile)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum: int, _frame: object) -> None:
        raise Stopped(signum)

    previous = {signum: signal.signal(signum, stop) for signum in (signal.SIGTERM, signal.SIGHUP)}
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def _common() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--config", metavar="PATH", default=argparse.SUPPRESS, help="config file to use")
    common.add_argument("--db", metavar="PATH", default=argparse.SUPPRESS, help="database file to use")
    common.add_argument(
        "--wait",
        metavar="SECONDS",
        type=float,
        default=argparse.SUPPRESS,
        help="wait this long for another process to let the database go (default: [database] lock_wait_*; "
        "0: never wait)",
    )
    common.add_argument(
        "-v", "--verbose", action="store_true", default=argparse.SUPPRESS, help="show tracebacks and debug logs"
    )
    return common


def _view(parser: argparse.ArgumentParser, window: bool = True) -> None:
    """--units (and --from / --to): how the figures are shown; stored data never changes."""
    parser.add_argument(
        "--units", choices=("field", "field-small", "metric"), default=None,
        help="field: kbd, MMcfd, kbbl, MMcf; field-small: bbl/d, Mcf/d, bbl, Mcf; metric: Sm³/d, kSm³/d, Sm³, kSm³ "
        "(field and database totals kSm³, MSm³) (default: [ui] units, else field)",
    )
    if window:
        parser.add_argument("--from", dest="from_month", metavar="YYYY-MM", help="first month shown (default: all)")
        parser.add_argument("--to", dest="to_month", metavar="YYYY-MM", help="last month shown (default: all)")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of every subcommand."""
    common = _common()
    parser = argparse.ArgumentParser(
        prog="wellprod",
        description="Well production records: import, browse, export. Without a command, opens the app.",
        parents=[common],
    )
    parser.add_argument("--version", action="version", version=f"wellprod {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    imp = sub.add_parser("import", parents=[common], help="import files (no PATH: the bundled sample)")
    imp.add_argument("paths", nargs="*", metavar="PATH", help="JSON response, NDJSON, CSV or Parquet files, a folder "
                     "or a .zip of them (several paths of one layout import as one)")
    imp.add_argument("--strict", action="store_true", help="import nothing if any row is rejected")
    imp.add_argument("--json", action="store_true", help="print one JSON object per import (its files listed)")
    imp.add_argument(
        "--duplicates",
        choices=vocabulary.DUPLICATE_POLICIES,
        default=None,
        help="rows repeating a well and month in one file: reject the later ones (keep the first), keep the "
        "first, keep the last, or add up their rates (default: [import] duplicates, else reject)",
    )
    imp.add_argument(
        "--profile", metavar="NAME", help="read a foreign CSV layout through this mapping profile (default: "
        "recognised by the header; `wellprod profiles` lists them)"
    )

    prof = sub.add_parser("profiles", parents=[common], help="list the mapping profiles for foreign layouts")
    prof.add_argument("--json", action="store_true", help="print JSON")

    st = sub.add_parser("stats", parents=[common], help="records, wells, fields, periods, volumes")
    st.add_argument("--json", action="store_true", help="print JSON")
    _view(st)

    well = sub.add_parser("well", parents=[common], help="one well: summary and monthly history")
    well.add_argument("code", type=_typed_code, help="well code, or an API number (05-123-31642-01)")
    well.add_argument("--json", action="store_true", help="print JSON")
    well.add_argument("--volumes", action="store_true", help="monthly volumes first, instead of calendar-day rates")
    _view(well)

    field = sub.add_parser("field", parents=[common], help="one field: summary, wells, monthly totals")
    field.add_argument("code", type=int, help="field code")
    field.add_argument("--json", action="store_true", help="print JSON")
    _view(field)

    chg = sub.add_parser("changes", parents=[common], help="what an import changed, old -> new (the revision trail)")
    which = chg.add_mutually_exclusive_group()
    which.add_argument("--import", dest="import_id", type=int, metavar="N",
                       help="import number N (default: the last import that replaced a stored value)")
    which.add_argument("--well", type=int, metavar="CODE", help="every revision of one well")
    chg.add_argument("--json", action="store_true", help="print JSON")

    search = sub.add_parser("search", parents=[common], help="find wells (and fields) by code, name, reference")
    search.add_argument("text", help="part of a code, name or reference")
    search.add_argument("--json", action="store_true", help="print JSON")
    _view(search, window=False)

    exp = sub.add_parser("export", parents=[common], help="export to CSV (default: every record)")
    scope = exp.add_mutually_exclusive_group()
    scope.add_argument("--well", type=int, metavar="CODE", help="one well's monthly history")
    scope.add_argument("--field", type=int, metavar="CODE", help="one field's wells")
    exp.add_argument("--monthly", action="store_true", help="with --field: the field's monthly totals")
    exp.add_argument("-o", "--output", metavar="PATH", help="file or folder to write, or - for stdout")
    exp.add_argument("--force", action="store_true", help="overwrite an existing file")
    exp.add_argument("--volumes", action="store_true", help="with --well: monthly volumes first, instead of rates")
    exp.add_argument("--parquet", metavar="DIR",
                     help="every record as a Parquet lake (hive folders year=YYYY) that Spark, Trino, DuckDB read")
    _view(exp)

    doc = sub.add_parser("doctor", parents=[common], help="check the database, its size and its lock")
    doc.add_argument("--json", action="store_true", help="print JSON")

    cfg = sub.add_parser("config", parents=[common], help="show the effective config and every path")
    cfg.add_argument("--init", action="store_true", help="write a default config file")
    cfg.add_argument("--force", action="store_true", help="with --init: overwrite an existing file")

    _add_decline(sub, common)

    smp = sub.add_parser("sample", parents=[common], help="generate synthetic records (for benchmarks)")
    smp.add_argument("--records", type=int, default=10_000, help="how many records (default 10000)")
    smp.add_argument(
        "--format",
        choices=("json", "ndjson", "csv", "parquet"),
        default="ndjson",
        help="json is the API response {\"data\": [...]} (default: ndjson)",
    )
    smp.add_argument("-o", "--output", metavar="PATH", required=True, help="file to write")
    return parser


def _add_decline(sub: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser) -> None:
    """``wellprod decline``: fit a well or a field, or forecast from given parameters."""
    types = vocabulary.DECLINE_TYPES
    dec = sub.add_parser(
        "decline",
        parents=[common],
        help="Arps decline: fit and forecast a well or a field, or forecast from given parameters",
        description="Nominal declines are per year; secant and tangent effective declines are annual fractions "
        "(0.8 = 80 %/yr). Rates are the phase's unit per day (kbd, MMcfd), volumes that unit x days.",
    )
    dec.add_argument("well", type=int, nargs="?", metavar="WELL", help="well code to fit")
    dec.add_argument("--field", type=int, metavar="CODE", help="fit every well of a field and sum their forecasts")
    dec.add_argument("--qi", type=float, metavar="RATE", help="forecast from given parameters: initial rate")
    dec.add_argument("--di", type=float, metavar="VALUE", help="with --qi: initial decline")
    dec.add_argument("--di-type", choices=types, help="with --qi: how --di is stated")
    dec.add_argument("--phase", choices=tuple(vocabulary.PHASE_UNITS), default="oil", help="default: oil")
    dec.add_argument(
        "--model", choices=vocabulary.FIT_MODELS, default="auto",
        help="default: auto (the best by BIC of exponential, harmonic, hyperbolic)",
    )
    dec.add_argument("--from", dest="from_month", metavar="YYYY-MM", help="first month of the fit (default: peak)")
    dec.add_argument("--to", dest="to_month", metavar="YYYY-MM", help="last month of the fit (default: last)")
    dec.add_argument("--basis", choices=vocabulary.BASES, default="calendar",
                     help="calendar-day rates as stored, or producing-day (rate x days in month / days on)")
    dec.add_argument("--b", type=float, metavar="B", help="lock b (0 to 2)")
    dec.add_argument("--dmin", type=float, metavar="VALUE", help="minimum decline: hyperbolic, then exponential")
    dec.add_argument("--dmin-type", choices=types, default="tangent", help="how --dmin is stated (default: tangent)")
    dec.add_argument("--qel", type=float, metavar="RATE", help="economic limit rate (default: [decline] config)")
    dec.add_argument("--years", type=_forecast_years, metavar="N",
                     help="forecast cap in years, at most 100 (default: [decline] cap_years)")
    dec.add_argument("--json", action="store_true", help="print JSON")
    dec.add_argument("--csv", action="store_true", help="print the monthly forecast as CSV")


def _typed_code(text: str) -> str:
    """A well code as typed: digits, with dashes or spaces between them (an API number)."""
    from wellprod_tui.core.api_numbers import code_digits

    if code_digits(text) is None:
        raise argparse.ArgumentTypeError(f"not a well code: {text!r} (digits, or an API number: 05-123-31642-01)")
    return text


def _forecast_years(text: str) -> float:
    """``--years``: more than 0, at most 100 (a longer forecast would take gigabytes and mean nothing)."""
    from wellprod_tui.core.config import MAX_FORECAST_YEARS

    try:
        years = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not 0 < years <= MAX_FORECAST_YEARS:
        raise argparse.ArgumentTypeError(f"must be more than 0 and at most {MAX_FORECAST_YEARS}, not {text}")
    return years


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return int(exc.code or 0) if exc.code in (0, None) else EXIT_USAGE
    args.verbose = getattr(args, "verbose", False)
    if args.command == "export" and args.monthly and args.field is None:
        say("wellprod export: --monthly goes with --field CODE", err=True)
        return EXIT_USAGE
    if args.command == "export" and args.parquet is not None and (args.well, args.field, args.output) != (None,) * 3:
        said = "--parquet DIR writes every record (narrow it with --from/--to), not -o, a well or a field"
        say(f"wellprod export: {said}", err=True)
        return EXIT_USAGE

    from wellprod_tui.core import config, logs

    try:
        cfg = config.load(getattr(args, "config", None), getattr(args, "db", None))
    except config.ConfigError as exc:
        say(f"wellprod: {exc}", err=True)
        return EXIT_BAD_INPUT
    logs.setup_logging(cfg.log_dir, args.verbose)
    if args.command is None:  # the app: Textual first, DuckDB after the first frame
        from wellprod_tui.tui.app import run_app

        return run_app(cfg)
    from wellprod_tui import commands

    try:
        with _signals_stop():
            return commands.dispatch(args, cfg)
    except KeyboardInterrupt as exc:  # ctrl+c, SIGTERM or SIGHUP where a command has no handling of its own
        name = "SIGINT (ctrl+c)" if not isinstance(exc, Stopped) else str(exc)
        say(f"wellprod {args.command}: stopped by {name}; nothing was changed", err=True)
        return EXIT_INTERRUPTED
    except BrokenPipeError:  # `wellprod well 1 | head`: the reader left; not an error
        sys.stderr.close()
        return EXIT_OK
    except commands.UserError as exc:
        log.info("error: %s", exc)
        say(f"wellprod: {visible(str(exc))}", err=True)
        return exc.exit_code
    except Exception as exc:  # the log gets the traceback; the terminal gets one line
        log.exception("unexpected error in %s", args.command)
        if args.verbose:
            raise
        say(f"wellprod: unexpected error: {exc} (details in {cfg.log_dir})", err=True)
        return EXIT_BAD_INPUT
