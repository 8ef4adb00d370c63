"""``wellprod lake push`` and ``wellprod lake pull``: the file and the team's Iceberg table ([lake] config)."""

from __future__ import annotations

import argparse

from wellprod_tui import storage
from wellprod_tui.commands.common import UserError, opened, print_json, wait_seconds
from wellprod_tui.core import config
from wellprod_tui.core.exit_codes import EXIT_OK
from wellprod_tui.core.text import say, visible
from wellprod_tui.export.iceberg import push
from wellprod_tui.importing.iceberg import pull
from wellprod_tui.importing.report import ImportFailed, summary_lines
from wellprod_tui.storage.lake_table import LakeError, LakeTarget


def lake_target(cfg: config.Config) -> LakeTarget:
    """The table the config names."""
    return LakeTarget(cfg.lake.catalog_type, cfg.lake_catalog_uri, cfg.lake_warehouse, cfg.lake.table)


def cmd_lake(args: argparse.Namespace, cfg: config.Config) -> int:
    """Push the months the file's imports changed, or pull the months others changed."""
    target = lake_target(cfg)
    with opened(cfg, read_only=False, wait_s=wait_seconds(args, cfg, writing=True)) as con:
        try:
            return _push(con, target, args.json) if args.action == "push" else _pull(con, cfg, target, args.json)
        except (LakeError, ImportFailed) as exc:
            raise UserError(str(exc)) from exc


def _push(con: storage.Connection, target: LakeTarget, as_json: bool) -> int:
    result = push(con, target)
    if as_json:
        print_json({"table": target.table, "snapshot_id": result.snapshot_id, "months": result.months,
                    "rows": result.rows, "imports": result.imports})
    elif result.snapshot_id is None:
        say(f"nothing to push: no import changed a month since the last push to {visible(target.table)}")
    else:
        say(f"pushed {result.rows:,} rows of {result.months:,} month(s) changed by {result.imports} import(s) to "
            f"{visible(target.table)} (snapshot {result.snapshot_id})")
    return EXIT_OK


def _pull(con: storage.Connection, cfg: config.Config, target: LakeTarget, as_json: bool) -> int:
    result = pull(con, cfg, target)
    summary = result.summary
    if as_json:
        print_json({"table": target.table, "snapshot_id": result.snapshot_id, "months": result.months,
                    "import": None if summary is None else summary.as_json()})
    elif summary is None:
        say(f"nothing to pull: {visible(target.table)} has no change since the last pull")
    else:
        say(f"pulled {result.months:,} month(s) from {visible(target.table)} (snapshot {result.snapshot_id})")
        say("\n".join(summary_lines(summary)))
    return EXIT_OK
