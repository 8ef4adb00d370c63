"""Logging to a rotating file in the user log directory; tracebacks go there, not to the terminal."""

from __future__ import annotations

import logging
import logging.handlers
from pathlib import Path

LOG_FILE = "wellprod.log"
_FORMAT = "%(asctime)s %(process)d %(levelname)s %(name)s: %(message)s"


def setup_logging(log_dir: Path, verbose: bool = False) -> Path | None:
    """Log to ``log_dir/wellprod.log`` (rotating, 3 x 2 MB); returns the file, or None if unwritable."""
    root = logging.getLogger("wellprod_tui")
    root.setLevel(logging.DEBUG if verbose else logging.INFO)
    for handler in list(root.handlers):
        root.removeHandler(handler)
        handler.close()
    path = log_dir / LOG_FILE
    try:
        log_dir.mkdir(parents=True, exist_ok=True)
        handler = logging.handlers.RotatingFileHandler(path, maxBytes=2_000_000, backupCount=3, encoding="utf-8")
    except OSError:
        return None
    handler.setFormatter(logging.Formatter(_FORMAT))
    root.addHandler(handler)
    return path
