"""``wellprod group ATTRIBUTE``: wells grouped by an attribute, one group's monthly totals; ``stats`` of a
set (``--set`` / ``--where``)."""

from __future__ import annotations

import argparse

from wellprod_tui import queries
from wellprod_tui.commands.common import UserError, opened, print_json, scope_json, view_options, wait_seconds
from wellprod_tui.commands.sets import selection, wants_selection
from wellprod_tui.core import config
from wellprod_tui.core.exit_codes import EXIT_OK, EXIT_USAGE
from wellprod_tui.core.text import print_table, say
from wellprod_tui.core.vocabulary import PHASES
from wellprod_tui.core.well_filter import FilterError
from wellprod_tui.queries.groups import group_monthly_view, grouping, groups_view, set_stats, set_wells_view


def cmd_group(args: argparse.Namespace, cfg: config.Config) -> int:
    """Print the groups of an attribute (or one group's months with --monthly)."""
    chosen, window = view_options(args, cfg)
    with opened(cfg, read_only=True, wait_s=wait_seconds(args, cfg, writing=False)) as con:
        among = selection(con, args) if wants_selection(args) else None
        try:
            found = grouping(con, args.attribute, args.by_month, among)
        except FilterError as exc:
            raise UserError(str(exc), EXIT_USAGE) from exc
        view = (group_monthly_view(found, args.monthly, chosen, window) if args.monthly is not None
                else groups_view(found, chosen, window))
        columns, rows = queries.read_all(con, view)
    if args.monthly is not None and not rows:
        raise UserError(f"no group {args.monthly!r} of {found.attribute} (see `wellprod group {found.attribute}`)")
    scope = {"attribute": found.attribute, "grouped_by": found.note, "wells": among.label if among else "all wells"}
    if args.json:
        key = "monthly" if args.monthly is not None else "groups"
        extra = {"group": args.monthly} if args.monthly is not None else {}
        print_json({**scope, **extra, **scope_json(chosen, window), key: [dict(zip(columns, r, strict=True))
                                                                          for r in rows]})
        return EXIT_OK
    title = f"{found.attribute}: {found.note}" + (f"; {among.label}" if among else "")
    if not window.is_all:
        title += f"; {window.label}"
    if args.monthly is not None:
        title = f"{found.attribute} = {args.monthly}, monthly ({found.note})"
    print_table(columns, rows, title=title)
    return EXIT_OK


def cmd_set_stats(args: argparse.Namespace, cfg: config.Config) -> int:
    """``stats --set/--where``: the set's figures and its largest wells."""
    chosen, window = view_options(args, cfg)
    with opened(cfg, read_only=True, wait_s=wait_seconds(args, cfg, writing=False)) as con:
        among = selection(con, args)
        data = set_stats(con, among, chosen, window)
        columns, rows = queries.read_all(con, set_wells_view(among, chosen))
    if args.json:
        print_json({**data, **scope_json(chosen, window), "top_wells": [dict(zip(columns, r, strict=True))
                                                                        for r in rows]})
        return EXIT_OK
    say(f"set        {data['set']}")
    say(f"wells      {data['wells_in_set']:,}")
    say(f"records    {data['records']:,}")
    say(f"periods    {data['first_period'] or '-'} .. {data['last_period'] or '-'}")
    if not window.is_all:
        say(f"window     {window.label} (volumes and periods within it)")
    for phase in PHASES:
        say(f"{phase:<10} {data[chosen.name_of(phase, 'total', phase)] or 0:,.1f} {chosen.label('total', phase)}")
    if rows:
        say()
        print_table(columns, rows, title="Wells of the set by cumulative oil")
    return EXIT_OK
