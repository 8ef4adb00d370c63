"""``doctor``, ``config``, ``sample``, ``profiles`` and ``decline``."""

from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path

from wellprod_tui.commands.common import UserError, chosen_units, opened, print_json, say_waiting, wait_seconds
from wellprod_tui.core import config
from wellprod_tui.core.exit_codes import EXIT_BAD_INPUT, EXIT_LOCKED, EXIT_OK, EXIT_USAGE
from wellprod_tui.core.text import say
from wellprod_tui.queries import doctor


def cmd_doctor(args: argparse.Namespace, cfg: config.Config) -> int:
    """Check the database and print a report."""
    wait_s = wait_seconds(args, cfg, writing=False)
    report = doctor.check(cfg, wait_s, say_waiting(wait_s) if wait_s else None)
    if args.json:
        print_json(report)
    else:
        for line in doctor.report_lines(report):
            say(line)
    return {"healthy": EXIT_OK, "locked": EXIT_LOCKED}.get(report["status"], EXIT_BAD_INPUT)


def cmd_config(args: argparse.Namespace, cfg: config.Config) -> int:
    """Show the effective config and paths, or write a default config file."""
    if args.init:
        target = cfg.source or config.user_config_path()
        try:
            written = config.write_default(target, force=args.force)
        except config.ConfigError as exc:
            raise UserError(str(exc)) from exc
        say(f"wrote {written}")
        return EXIT_OK
    say(f"# config file: {cfg.source or f'{config.user_config_path()} (not present: defaults)'}")
    say(f"# database:    {cfg.database_path}")
    say(f"# export dir:  {cfg.export_dir}")
    say(f"# rejects dir: {cfg.rejects_dir}")
    say(f"# log file:    {cfg.log_dir / 'wellprod.log'}")
    say(f"# state file:  {config.user_state_path()}")
    import tomli_w  # noqa: PLC0415

    say(tomli_w.dumps(config.as_toml_dict(cfg)), end="")
    return EXIT_OK


def cmd_sample(args: argparse.Namespace, cfg: config.Config) -> int:
    """Write synthetic records for benchmarks and trials."""
    from wellprod_tui.importing.sample import write_sample  # noqa: PLC0415  (polars only here)

    if args.records < 1:
        raise UserError("--records must be at least 1", EXIT_USAGE)
    path = write_sample(args.records, Path(args.output), args.format)
    say(f"wrote {args.records:,} records to {path}")
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
        print_json({"user_profiles_dir": str(folder), "profiles": [p.as_json() for p in found]})
        return EXIT_OK
    for p in found:
        say(f"{p.name}  ({'built-in' if p.builtin else p.path})\n  {p.description}\n  source:  {p.source}")
        say(f"  rows:    {p.rows}; recognised by the header columns {', '.join(p.detect_columns())}")
        say(f"  reads:   {', '.join(p.source_columns())}\n")
    say(f"your own profiles: {folder}/*.toml (see README, 'Mapping profiles')")
    return EXIT_OK


def cmd_decline(args: argparse.Namespace, cfg: config.Config) -> int:
    """Fit and forecast a well or a field, or forecast from given parameters (no database)."""
    from wellprod_tui.commands import decline as decline_cli  # noqa: PLC0415  (numpy only here)
    from wellprod_tui.commands.selection import filter_errors, selection_from  # noqa: PLC0415

    chosen = chosen_units(args, cfg)
    try:
        request = decline_cli.request_from(args, cfg.decline, chosen, selection_from(args))
    except decline_cli.UsageError as exc:
        raise UserError(f"decline: {exc}", EXIT_USAGE) from exc
    from wellprod_tui.decline import render  # noqa: PLC0415

    if request.mode == "parameters":
        result = decline_cli.answer(None, request)
    else:
        wait_s = wait_seconds(args, cfg, writing=request.save)
        with opened(cfg, read_only=not request.save, wait_s=wait_s) as con, filter_errors():
            try:
                result = decline_cli.answer(con, request)
            except decline_cli.DeclineError as exc:
                raise UserError(str(exc)) from exc
    if not isinstance(result, render.Result):
        from wellprod_tui.commands.batch import print_batch  # noqa: PLC0415

        return print_batch(result, args, chosen)
    if args.json:
        print_json(render.to_json(result, chosen))
    elif args.csv:
        csv.writer(sys.stdout, lineterminator="\n").writerows(render.csv_rows(result, chosen))
    else:
        say("\n".join(render.text_lines(result, chosen)))
    return EXIT_OK


