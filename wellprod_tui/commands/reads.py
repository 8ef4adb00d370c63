"""The read commands: ``stats``, ``well``, ``field``, ``search``."""

from __future__ import annotations

import argparse
from typing import Any

from wellprod_tui import queries, storage
from wellprod_tui.commands.common import fmt, opened, print_json, scope_json, view_options, wait_seconds
from wellprod_tui.commands.groups import cmd_set_stats
from wellprod_tui.commands.sets import wants_selection
from wellprod_tui.core import config, units
from wellprod_tui.core.exit_codes import EXIT_BAD_INPUT, EXIT_OK
from wellprod_tui.core.months import Window
from wellprod_tui.core.text import allocation_line, print_table, say, visible
from wellprod_tui.core.vocabulary import PHASES


def cmd_stats(args: argparse.Namespace, cfg: config.Config) -> int:
    """Print the database's figures."""
    if wants_selection(args):
        return cmd_set_stats(args, cfg)
    chosen, window = view_options(args, cfg)
    with opened(cfg, read_only=True, wait_s=wait_seconds(args, cfg, writing=False)) as con:
        data = queries.stats(con, chosen, window)
        if args.json:
            columns, rows = queries.read_all(con, queries.allocation_view(chosen))
            allocation = [dict(zip(columns, r, strict=True)) for r in rows]
            print_json({**data, **scope_json(chosen, window), "field_allocation": allocation})
            return EXIT_OK
        _print_stats(con, data, chosen, window)
    return EXIT_OK


def _print_stats(con: storage.Connection, data: dict[str, Any], chosen: units.UnitSystem, window: Window) -> None:
    say(f"database   {data['database']} ({data['database_bytes'] / 1e6:.1f} MB)")
    say(f"records    {data['records']:,}")
    say(f"wells      {data['wells']:,}")
    say(f"fields     {data['fields']:,}")
    say(f"periods    {data['first_period'] or '-'} .. {data['last_period'] or '-'}")
    if not window.is_all:
        say(f"window     {window.label} (volumes, periods, fields and top lists within it)")
    for phase in PHASES:
        say(f"{phase:<10} {data[chosen.name_of(phase, 'total', phase)] or 0:,.1f} {chosen.label('total', phase)}")
    last = data["last_import"]
    if last:
        say(
            f"last import #{last['id']} {last['status']} {last['finished_at']:%Y-%m-%d %H:%M} {visible(last['file'])}"
        )
    if data["records"]:
        say()
        title = "Top fields by cumulative oil" + ("" if window.is_all else f" {window.label}")
        print_table(*queries.read_all(con, queries.top_fields_view(10, chosen, window)), title=title)
    if data["fields_with_both"]:
        say()
        print_table(
            *queries.read_all(con, queries.allocation_view(chosen)),
            title="Fields with field-level rows beside wells (months with both: reported vs sum of wells)",
        )


def cmd_well(args: argparse.Namespace, cfg: config.Config) -> int:
    """Print one well's summary and history."""
    chosen, window = view_options(args, cfg)
    with opened(cfg, read_only=True, wait_s=wait_seconds(args, cfg, writing=False)) as con:
        code = queries.resolve_well(con, args.code)
        info = queries.well(con, code, chosen, window)
        view = queries.well_history_view(code, units=chosen, window=window, volumes=args.volumes)
        columns, rows = queries.read_all(con, view)
    if args.json:
        history = [dict(zip(columns, r, strict=True)) for r in rows]
        print_json({**info, **scope_json(chosen, window), "history": history})
        return EXIT_OK
    width = max(16, *map(len, info))
    if not window.is_all:
        say(f"{'window':<{width}} {window.label}")
    for key, value in info.items():
        say(f"{key:<{width}} {fmt(value)}")
    say()
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
        print_json(
            {
                **info,
                **scope_json(chosen, window),
                "well_list": [dict(zip(wells[0], r, strict=True)) for r in wells[1]],
                "monthly": [dict(zip(monthly[0], r, strict=True)) for r in monthly[1]],
            }
        )
        return EXIT_OK
    width = max(20, *map(len, info))
    if not window.is_all:
        say(f"{'window':<{width}} {window.label}")
    for key, value in info.items():
        if value is not None:
            say(f"{key:<{width}} {fmt(value)}")
    if allocation_line(info, chosen):
        say(allocation_line(info, chosen))
    say()
    print_table(*wells, title="Wells")
    say()
    print_table(*monthly, title="Monthly totals")
    return EXIT_OK


#: Wells and fields ``search`` shows at most (it says when there are more).
SEARCH_SHOWN = 50


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
        print_json({"wells": wells, "fields": fields, "wells_total": counts["well"], "fields_total": counts["field"]})
        return EXIT_OK
    if not wells and not fields:
        say(f"nothing matches {args.text!r}")
        return EXIT_BAD_INPUT
    for title, kind, found in (("Fields", "field", fields), ("Wells", "well", wells)):
        if found:
            more = f" (showing {len(found)} of {counts[kind]:,})" if counts[kind] > len(found) else ""
            print_table(list(found[0]), [tuple(f.values()) for f in found], title=title + more)
            say()
    return EXIT_OK



