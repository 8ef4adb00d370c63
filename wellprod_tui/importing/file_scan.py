"""A background pass over an input file: its SHA-256, and whether JSON booleans occur in it."""

from __future__ import annotations

import hashlib
import threading
from pathlib import Path


class FileScan:
    """One pass over the file beside DuckDB's read: its SHA-256, and whether the words true or false
    occur (then JSON numbers must be read as text). Stops early when the import fails."""

    def __init__(self, path: Path, look_for_booleans: bool) -> None:
        self.path = path
        self.look_for_booleans = look_for_booleans
        self._stop = threading.Event()
        self._digest = ""
        self._booleans = False
        self._thread = threading.Thread(target=self._run, name="wellprod-scan", daemon=True)

    def start(self) -> None:
        """Begin reading in the background (once)."""
        if self._thread.ident is None:
            self._thread.start()

    def stop(self) -> None:
        """Give up (a failed or cancelled import does not wait for the hash)."""
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join()

    def sha256(self) -> str | None:
        """The file's SHA-256 (waits for the scan)."""
        self._thread.join()
        return self._digest or None

    def saw_booleans(self) -> bool:
        """Whether true or false occurs anywhere in the file (waits for the scan)."""
        self._thread.join()
        return self._booleans

    def _run(self) -> None:
        digest, tail = hashlib.sha256(), b""
        with self.path.open("rb") as handle:
            while block := handle.read(8 << 20):
                if self._stop.is_set():
                    return
                digest.update(block)
                if self.look_for_booleans and not self._booleans:
                    window = tail + block  # a word may straddle two blocks
                    self._booleans = b"true" in window or b"false" in window
                    tail = block[-4:]
        self._digest = digest.hexdigest()
