"""Sets of wells on the command line: ``headers import``, ``set save|list|show`` and the one way every
command reads ``--set NAME`` / ``--where TEXT`` (``selection``)."""

from __future__ import annotations

import argparse
from dataclasses import asdict
from itertools import islice
from pathlib import Path

from wellprod_tui import storage
from wellprod_tui.commands.common import UserError, opened, print_json, wait_seconds
from wellprod_tui.core import config
from wellprod_tui.core.exit_codes import EXIT_OK, EXIT_USAGE
from wellprod_tui.core.text import print_table, say, visible
from wellprod_tui.core.well_filter import FilterError
from wellprod_tui.importing.headers import import_headers
from wellprod_tui.importing.report import ImportFailed
from wellprod_tui.queries.well_sets import WellSelection, save_set, saved_sets, select_wells, unmatched_values

#: Lines a ``--wells FILE`` may have.
MAX_LISTED_WELLS = 100_000


def wants_selection(args: argparse.Namespace) -> bool:
    """Whether the command was given ``--set`` or ``--where``."""
    return getattr(args, "set_name", None) is not None or getattr(args, "where", None) is not None


def selection(con: storage.Connection, args: argparse.Namespace) -> WellSelection:
    """The wells ``--set NAME`` and ``--where TEXT`` pick (every well when neither is given); a filter that
    cannot be read or an unknown set is a UserError naming what is wrong."""
    where = getattr(args, "where", None)
    try:
        chosen = select_wells(con, set_name=getattr(args, "set_name", None), where=where)
    except FilterError as exc:
        raise UserError(f"--where: {exc}", EXIT_USAGE) from exc
    if not chosen.wells:
        say(f"wellprod: note: {chosen.label}: no well", err=True)
        for said in unmatched_values(con, where) if where else []:
            say(f"wellprod: note: {visible(said)}", err=True)
    return chosen


def cmd_headers(args: argparse.Namespace, cfg: config.Config) -> int:
    """Import a well header file (``wellprod headers import FILE``)."""
    path = Path(args.path)
    if not path.is_file():
        raise UserError(f"{path}: no such file")
    with opened(cfg, read_only=False, wait_s=wait_seconds(args, cfg, writing=True)) as con:
        try:
            done = import_headers(con, path, args.profile)
        except ImportFailed as exc:
            raise UserError(str(exc)) from exc
    if args.json:
        print_json(asdict(done))
        return EXIT_OK
    say(f"{visible(done.file)}: {done.headers:,} header(s) from {done.rows:,} row(s) (profile {done.profile}): "
        f"{done.inserted:,} new, {done.updated:,} replaced; {done.wells_matched:,} imported well(s) have one")
    for note in done.notes:
        say(f"  note: {note}")
    return EXIT_OK


def cmd_set(args: argparse.Namespace, cfg: config.Config) -> int:
    """Save, list or show sets of wells."""
    writing = args.action == "save"
    with opened(cfg, read_only=not writing, wait_s=wait_seconds(args, cfg, writing=writing)) as con:
        try:
            if args.action == "save":
                return _save(con, args)
            if args.action == "list":
                return _list(con, args)
            return _show(con, args)
        except FilterError as exc:
            raise UserError(str(exc), EXIT_USAGE) from exc


def _save(con: storage.Connection, args: argparse.Namespace) -> int:
    if (args.where is None) == (args.wells is None):
        raise UserError("set save NAME: give --where FILTER or --wells FILE (one of them)", EXIT_USAGE)
    listed = None
    if args.wells is not None:
        try:
            with open(args.wells, encoding="utf-8-sig") as handle:  # noqa: PTH123 (a path or /dev/stdin)
                listed = [line.split(",")[0].strip() for line in islice(handle, MAX_LISTED_WELLS + 1)]
        except (OSError, UnicodeDecodeError) as exc:
            raise UserError(f"{args.wells}: cannot be read ({exc})") from exc
        listed = [w for w in listed if w and not w.lower().startswith(("well", "api", "#"))]
        if len(listed) > MAX_LISTED_WELLS:
            raise UserError(f"{args.wells}: more than {MAX_LISTED_WELLS:,} lines; a set lists fewer wells")
    wells = save_set(con, args.name, where=args.where, wells=listed)
    say(f"set {args.name}: {wells:,} well(s)" + (f" where {args.where}" if args.where else f" from {args.wells}"))
    return EXIT_OK


def _list(con: storage.Connection, args: argparse.Namespace) -> int:
    sets = saved_sets(con)
    if args.json:
        print_json({"sets": sets})
        return EXIT_OK
    if not sets:
        say("no saved sets (wellprod set save NAME --where FILTER)")
        return EXIT_OK
    print_table(["name", "wells", "filter", "saved_at"],
                [(s["name"], s["wells"], s["filter"] or "(list of wells)", s["saved_at"]) for s in sets])
    return EXIT_OK


def _show(con: storage.Connection, args: argparse.Namespace) -> int:
    chosen = select_wells(con, set_name=args.name)
    saved = next(s for s in saved_sets(con) if s["name"] == args.name)
    wells = storage.records(
        con, f"""SELECT well_code, well_name, strftime(first_period, '%Y-%m') AS first_period,
                        strftime(last_period, '%Y-%m') AS last_period, oil_kbbl, gas_mmcf, water_kbbl
                 FROM well_summary WHERE well_code IN ({chosen.subquery}) ORDER BY well_code""")
    if args.json:
        print_json({"set": args.name, "filter": saved["filter"], "wells": wells})
        return EXIT_OK
    kind = f"where {saved['filter']}" if saved["filter"] else "a list of wells"
    print_table(list(wells[0]) if wells else ["well_code"], [tuple(w.values()) for w in wells],
                title=f"set {args.name} ({kind}): {chosen.wells:,} well(s)")
    return EXIT_OK
