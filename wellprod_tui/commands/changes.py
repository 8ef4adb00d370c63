"""``wellprod changes``: what an import changed (old → new), or every revision of one well."""

from __future__ import annotations

import argparse

from wellprod_tui import queries
from wellprod_tui.commands.common import UserError, opened, print_json, wait_seconds
from wellprod_tui.core import config
from wellprod_tui.core.exit_codes import EXIT_OK
from wellprod_tui.core.text import plural, print_table, say, visible
from wellprod_tui.queries import changes


def cmd_changes(args: argparse.Namespace, cfg: config.Config) -> int:
    """List the values an import replaced (default: the last import that replaced any), or a well's revisions."""
    with opened(cfg, read_only=True, wait_s=wait_seconds(args, cfg, writing=False)) as con:
        import_id = args.import_id
        if import_id is None and args.well is None:
            import_id = changes.latest_changing_import(con)
            if import_id is None:
                return _nothing_replaced(args)
        entry = changes.import_log_entry(con, import_id) if import_id is not None else None
        if import_id is not None and entry is None:
            raise UserError(f"no import #{import_id} in the imports log (`wellprod stats` shows the last one)")
        if not changes.has_trail(con):
            return _nothing_replaced(args)
        view = changes.changes_view(import_id=import_id, well_code=args.well if import_id is None else None)
        columns, rows = queries.read_all(con, view)
    if args.json:
        listed = [dict(zip(columns, r, strict=True)) for r in rows]
        print_json({"import": entry, "well_code": args.well, "changes": listed})
        return EXIT_OK
    months = len({(r[2], r[3]) for r in rows})
    if entry is not None:
        when = f"{entry['finished_at']:%Y-%m-%d %H:%M}"
        file = visible(str(entry["file"]))
        say(f"import #{entry['id']} {entry['status']} {when} {file}: {plural(months, 'month')} changed")
    else:
        say(f"well {args.well}: {plural(len(rows), 'change')} in {plural(months, 'month')}")
    if rows:
        print_table(columns, rows)
    return EXIT_OK


def _nothing_replaced(args: argparse.Namespace) -> int:
    """No import has replaced a value: said as text, or as JSON with no changes (scripts parse every answer)."""
    if args.json:
        print_json({"import": None, "well_code": args.well, "changes": []})
    else:
        say("no import has replaced a stored value yet")
    return EXIT_OK
