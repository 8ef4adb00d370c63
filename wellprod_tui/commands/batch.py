"""``wellprod decline --all | --wells … | --field CODE --each``: one table of every well's fit, as text, JSON,
a CSV of parameters, or (``--monthly``) every well's monthly forecast as CSV."""

from __future__ import annotations

import argparse
import csv
import sys

from wellprod_tui.commands.common import print_json
from wellprod_tui.core import units
from wellprod_tui.core.exit_codes import EXIT_OK
from wellprod_tui.core.text import print_table, say
from wellprod_tui.decline import batch_render
from wellprod_tui.decline.batch import BatchDecline


def print_batch(result: BatchDecline, args: argparse.Namespace, system: units.UnitSystem = units.FIELD) -> int:
    """Print the batch table (or its monthly forecasts) in the form asked for, in ``system``'s units."""
    if args.json:
        print_json(batch_render.to_json(result, monthly=args.monthly, system=system))
    elif args.monthly:
        sys.stdout.write(batch_render.monthly_frame(result, system).write_csv())
    elif args.csv:
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerows(batch_render.csv_rows(result, system))  # our own words and numbers: nothing a spreadsheet runs
    else:
        say(batch_render.summary(result, system))
        print_table(batch_render.TABLE_COLUMNS, batch_render.table_rows(result, system))
    return EXIT_OK

