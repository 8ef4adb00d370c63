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
    scope.add_argument("--well", type=_typed_code, metavar="CODE",
                       help="one well's monthly history (CODE may be an API number: 05-123-31642-01)")
    scope.add_argument("--field", type=int, metavar="CODE", help="one field's wells")
    exp.add_argument("--monthly", action="store_true", help="with --field: the field's monthly totals")
    exp.add_argument("-o", "--output", metavar="PATH", help="file or folder to write, or - for stdout")
    exp.add_argument("--force", action="store_true", help="overwrite an existing file")
    exp.add_argument("--volumes", action="store_true", help="with --well: monthly volumes first, instead of rates")
    exp.add_argument("--parquet", metavar="DIR",
                     help="every record as a Parquet lake (hive folders year=YYYY) that Spark, Trino, DuckDB read")
    _view(exp)

    lake = sub.add_parser("lake", parents=[common], help="the team's Iceberg table ([lake] config): push, pull")
    lake.add_argument("action", choices=("push", "pull"),
                      help="push: the months your imports changed into the table; pull: what others pushed since")
    lake.add_argument("--json", action="store_true", help="print JSON")

    doc = sub.add_parser("doctor", parents=[common], help="check the database, its size and its lock")
    doc.add_argument("--json", action="store_true", help="print JSON")

    cfg = sub.add_parser("config", parents=[common], help="show the effective config and every path")
    cfg.add_argument("--init", action="store_true", help="write a default config file")
    cfg.add_argument("--force", action="store_true", help="with --init: overwrite an existing file")

    _add_decline(sub, common)
    _add_typecurve(sub, common)
    _add_sets(sub, common)
    _selecting(st)
    _selecting(exp)

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
    _selection(dec, "fit every well of a field and sum their forecasts (with --each: one row per well)")
    dec.add_argument("--each", action="store_true", help="with --field: a table of the field's wells, one row each")
    dec.add_argument("--monthly", action="store_true",
                     help="with a table of wells: every well's monthly forecast (CSV, or in --json)")
    dec.add_argument("--qi", type=float, metavar="RATE", help="forecast from given parameters: initial rate")
    dec.add_argument("--di", type=float, metavar="VALUE", help="with --qi: initial decline")
    dec.add_argument("--di-type", choices=types, help="with --qi or --di-fixed: how Di is stated")
    dec.add_argument("--phase", choices=tuple(vocabulary.PHASE_UNITS), default="oil", help="default: oil")
    dec.add_argument(
        "--model", choices=vocabulary.FIT_MODELS, default="auto",
        help="default: auto (the best by BIC of exponential, harmonic, hyperbolic)",
    )
    dec.add_argument("--from", dest="from_month", metavar="YYYY-MM", help="first month of the fit (default: peak)")
    dec.add_argument("--to", dest="to_month", metavar="YYYY-MM", help="last month of the fit (default: last)")
    dec.add_argument("--basis", choices=vocabulary.BASES,
                     help="calendar-day rates as stored (default), or producing-day (rate x days in month / days on)")
    dec.add_argument("--exclude", metavar="MONTHS",
                     help="months left out of the fit: 2019-03,2019-05..2019-07 (single-month spikes are left out "
                     "anyway: [decline] spike_factor)")
    dec.add_argument("--include", metavar="MONTHS", help="months kept in the fit even when they are spikes")
    dec.add_argument("--b", type=float, metavar="B", help="lock b (0 to 2)")
    dec.add_argument("--qi-fixed", type=float, metavar="RATE", help="lock qi: the rate at the fit's first month")
    dec.add_argument("--di-fixed", type=float, metavar="VALUE", help="lock Di, stated as --di-type says")
    dec.add_argument("--dmin", type=float, metavar="VALUE", help="minimum decline: hyperbolic, then exponential")
    dec.add_argument("--dmin-type", choices=types, default="tangent", help="how --dmin is stated (default: tangent)")
    dec.add_argument("--qel", type=float, metavar="RATE",
                     help="economic limit rate in --units (default: [decline] qel_oil_kbd, ... = 1 bbl/d of oil)")
    dec.add_argument("--years", type=_forecast_years, metavar="N",
                     help="forecast cap in years, at most 100 (default: [decline] cap_years)")
    dec.add_argument("--from-ratio", action="store_true",
                     help="with --phase gas or water: forecast it from the oil fit through the GOR or WOR trend "
                     "against cumulative oil")
    dec.add_argument("--save", action="store_true",
                     help="keep this fit (its options, who, when) as the well's fit in force for the phase")
    dec.add_argument("--auto", action="store_true", help="fit afresh: ignore the well's saved fit")
    _view(dec, window=False)
    dec.add_argument("--json", action="store_true", help="print JSON")
    dec.add_argument("--csv", action="store_true", help="print the monthly forecast as CSV")


def _add_typecurve(sub: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser
                   ) -> None:
    """``wellprod typecurve``: P10/P50/P90 per month on production of a set of wells, and the P50's fit."""
    types = vocabulary.DECLINE_TYPES
    tc = sub.add_parser(
        "typecurve", parents=[common], help="type curve of a set of wells: P10/P50/P90 per month on production",
        description="Wells lined up by month on production (months without production skipped); P10 is the high "
        "case (90th percentile of the wells' rates), P90 the low case. The P50 is fitted as decline fits a well.",
    )
    _selection(tc, "the field's producing wells")
    tc.add_argument("--align", choices=("peak", "first"), default="peak",
                    help="month 1 is each well's peak month, or its first month with production (default: peak)")
    tc.add_argument("--basis", choices=vocabulary.BASES, default="calendar",
                    help="calendar-day rates as stored, or producing-day (rate x days in month / days on)")
    tc.add_argument("--phase", choices=tuple(vocabulary.PHASE_UNITS), default="oil", help="default: oil")
    tc.add_argument("--model", choices=vocabulary.FIT_MODELS, default="auto", help="the P50's fit (default: auto)")
    tc.add_argument("--b", type=float, metavar="B", help="lock b (0 to 2)")
    tc.add_argument("--dmin", type=float, metavar="VALUE", help="minimum decline: hyperbolic, then exponential")
    tc.add_argument("--dmin-type", choices=types, default="tangent", help="how --dmin is stated (default: tangent)")
    tc.add_argument("--qel", type=float, metavar="RATE",
                    help="economic limit rate in the --units' rate unit (default: [decline] config)")
    tc.add_argument("--years", type=_forecast_years, metavar="N",
                    help="a well's life from month 1, at most 100 (default: [decline] cap_years)")
    tc.add_argument("--normalize", metavar="ATTR=VALUE",
                    help="scale each well's rates to VALUE of a header number, e.g. lateral_length_ft=10000 "
                    "(wells without it left out and counted)")
    tc.add_argument("--min-wells", type=int, default=3, metavar="N",
                    help="the fit uses the months on production with at least N wells (default: 3)")
    tc.add_argument("--json", action="store_true", help="print JSON")
    tc.add_argument("--csv", action="store_true", help="print the table as CSV")
    _view(tc, window=False)


def _selection(parser: argparse.ArgumentParser, field_help: str) -> None:
    """The wells a command reads: --all, --field CODE, --wells FILE_OR_LIST (commands/selection.py reads them)."""
    parser.add_argument("--all", action="store_true", help="every well that produced something")
    parser.add_argument("--field", type=int, metavar="CODE", help=field_help)
    parser.add_argument("--wells", metavar="FILE_OR_LIST",
                        help="well codes or API numbers: a file (one a line), - for stdin, or a list 1,2,3")
    _selecting(parser)


def _selecting(parser: argparse.ArgumentParser) -> None:
    """--set NAME / --where FILTER: the wells a command reads (both: the set's wells that pass the filter)."""
    parser.add_argument("--set", dest="set_name", metavar="NAME", help="only the wells of this saved set")
    parser.add_argument("--where", metavar="FILTER",
                        help="only the wells that pass this filter, e.g. 'operator=NOBLE* and lateral_length_ft>7000'")


def _add_sets(sub: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser) -> None:
    """``wellprod headers import``, ``wellprod set save|list|show`` and ``wellprod group``."""
    hdr = sub.add_parser("headers", parents=[common], help="import well headers (operator, formation, location, …)")
    hdr_sub = hdr.add_subparsers(dest="action", metavar="ACTION", required=True)
    hdr_imp = hdr_sub.add_parser("import", parents=[common], help="import a header file: one row per well")
    hdr_imp.add_argument("path", metavar="FILE", help="CSV with a code or API number column and attributes")
    hdr_imp.add_argument("--profile", metavar="NAME", help="ecmc-well-headers or own (default: by the header line)")
    hdr_imp.add_argument("--json", action="store_true", help="print JSON")

    sets = sub.add_parser("set", parents=[common], help="saved sets of wells: save, list, show")
    set_sub = sets.add_subparsers(dest="action", metavar="ACTION", required=True)
    save = set_sub.add_parser("save", parents=[common], help="save a set by filter or by a list of wells")
    save.add_argument("name", metavar="NAME")
    save.add_argument("--where", metavar="FILTER", help="the set's filter (evaluated whenever the set is used)")
    save.add_argument("--wells", metavar="FILE", help="a file of well codes or API numbers, one a line")
    set_list = set_sub.add_parser("list", parents=[common], help="the saved sets")
    set_list.add_argument("--json", action="store_true", help="print JSON")
    show = set_sub.add_parser("show", parents=[common], help="the wells of a set")
    show.add_argument("name", metavar="NAME")
    show.add_argument("--json", action="store_true", help="print JSON")


    grp = sub.add_parser("group", parents=[common], help="wells grouped by an attribute: operator, formation, …")
    grp.add_argument("attribute", metavar="ATTRIBUTE",
                     help="operator, formation, county, state, status, field, well_class, a header's own column, "
                     "or a date (spud_date, first_production: by year)")
    grp.add_argument("--by-month", action="store_true",
                     help="each month in the group of that month's value (the operator of the month), not the "
                     "well's current one")
    grp.add_argument("--monthly", metavar="GROUP", help="the monthly totals of one group")
    grp.add_argument("--json", action="store_true", help="print JSON")
    _selecting(grp)
    _view(grp)


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
    if args.command == "export" and (args.set_name, args.where) != (None, None) and (
            args.well, args.field) != (None,) * 2:
        say("wellprod export: --set/--where export the records (or the lake) of a set's wells, not a well or a field",
            err=True)
        return EXIT_USAGE
    if args.command == "export" and args.parquet is not None and (args.well, args.field, args.output) != (None,) * 3:
        said = ("--parquet DIR writes every record (narrow it with --from/--to, --set or --where), not -o, a well "
                "or a field")
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
