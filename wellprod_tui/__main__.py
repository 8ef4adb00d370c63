"""Run wellprod as ``python -m wellprod_tui``."""

import sys

from wellprod_tui.cli import main

sys.exit(main())
