"""What each ``wellprod`` subcommand does, over the core functions; printing lives here. One module per kind
of command; ``dispatch`` runs the one asked for."""

from __future__ import annotations

import argparse

from wellprod_tui import queries
from wellprod_tui.commands.changes import cmd_changes
from wellprod_tui.commands.common import UserError
from wellprod_tui.commands.export import cmd_export
from wellprod_tui.commands.groups import cmd_group
from wellprod_tui.commands.imports import cmd_import
from wellprod_tui.commands.lake import cmd_lake
from wellprod_tui.commands.reads import cmd_field, cmd_search, cmd_stats, cmd_well
from wellprod_tui.commands.sets import cmd_headers, cmd_set
from wellprod_tui.commands.tools import cmd_config, cmd_decline, cmd_doctor, cmd_profiles, cmd_sample
from wellprod_tui.commands.typecurve import cmd_typecurve
from wellprod_tui.core import config

__all__ = ["UserError", "dispatch"]


def dispatch(args: argparse.Namespace, cfg: config.Config) -> int:
    """Run one subcommand."""
    handler = {
        "import": cmd_import,
        "stats": cmd_stats,
        "well": cmd_well,
        "field": cmd_field,
        "search": cmd_search,
        "changes": cmd_changes,
        "export": cmd_export,
        "doctor": cmd_doctor,
        "config": cmd_config,
        "sample": cmd_sample,
        "profiles": cmd_profiles,
        "decline": cmd_decline,
        "typecurve": cmd_typecurve,
        "headers": cmd_headers,
        "set": cmd_set,
        "group": cmd_group,
        "lake": cmd_lake,
    }[args.command]
    try:
        return handler(args, cfg)
    except queries.NotFound as exc:  # no such well or field: one line, exit 1
        raise UserError(str(exc)) from exc
