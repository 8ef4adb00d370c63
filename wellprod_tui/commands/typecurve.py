"""``wellprod typecurve``: the wells of a selection lined up by month on production, P10/P50/P90, and the P50's
Arps fit with its EUR (rendered by decline.typecurve_render, as the app renders it)."""

from __future__ import annotations

import argparse
import csv
import sys

from wellprod_tui.commands.common import UserError, chosen_units, opened, print_json, wait_seconds
from wellprod_tui.commands.selection import filter_errors, selection_from
from wellprod_tui.core import config
from wellprod_tui.core.exit_codes import EXIT_OK, EXIT_USAGE
from wellprod_tui.core.text import print_table, say
from wellprod_tui.queries.selection import SelectionError


def cmd_typecurve(args: argparse.Namespace, cfg: config.Config) -> int:
    """Build and print the type curve of the wells the arguments select."""
    from wellprod_tui.commands.decline import FLAGS  # noqa: PLC0415  (numpy only here)
    from wellprod_tui.decline import typecurve_render as render  # noqa: PLC0415
    from wellprod_tui.decline.analysis import DeclineError, DeclineInputError, Options  # noqa: PLC0415
    from wellprod_tui.decline.typecurve import TypeCurveOptions, type_curve  # noqa: PLC0415

    selection = selection_from(args)
    if selection is None:
        raise UserError("typecurve: give the wells: --all, --field CODE, --wells FILE_OR_LIST, --set NAME or "
                        "--where FILTER", EXIT_USAGE)
    settings, chosen = cfg.decline, chosen_units(args, cfg)
    per_day = chosen.unit("rate", args.phase).factor  # --qel is typed in the chosen units
    try:
        options = TypeCurveOptions(
            Options(phase=args.phase, model=args.model, basis=args.basis, b=args.b, dmin=args.dmin,
                    dmin_type=args.dmin_type, qel=settings.qel(args.phase) if args.qel is None else args.qel / per_day,
                    years=float(settings.cap_years) if args.years is None else args.years),
            align=args.align, min_wells=args.min_wells, normalize=_normalize(args.normalize))
        options.check()
    except DeclineInputError as exc:
        raise UserError(f"typecurve: {exc.worded(FLAGS, ': ')}", EXIT_USAGE) from exc
    except ValueError as exc:
        raise UserError(f"typecurve: --{exc}", EXIT_USAGE) from exc
    with opened(cfg, read_only=True, wait_s=wait_seconds(args, cfg, writing=False)) as con, filter_errors():
        try:
            result = type_curve(con, selection, options)
        except DeclineError as exc:
            raise UserError(str(exc)) from exc
        except SelectionError as exc:
            raise UserError(f"--normalize: {exc}", EXIT_USAGE) from exc
    if args.json:
        print_json(render.to_json(result, chosen))
    elif args.csv:
        csv.writer(sys.stdout, lineterminator="\n").writerows(render.csv_rows(result, chosen))
    else:
        say("\n".join(render.heading_lines(result, chosen)))
        print_table(render.TABLE_COLUMNS, render.table_rows(result, chosen))
    return EXIT_OK


def _normalize(text: str | None) -> tuple[str, float] | None:
    """``--normalize ATTR=VALUE`` as (attribute, value); UserError when it is not one."""
    if text is None:
        return None
    name, _, value = text.partition("=")
    try:
        number = float(value.replace("_", ""))
    except ValueError:
        number = float("nan")
    if not name.strip() or not number > 0:
        raise UserError(f"typecurve: --normalize: give ATTRIBUTE=VALUE, e.g. lateral_length_ft=10000, not {text!r}",
                        EXIT_USAGE)
    return name.strip(), number
