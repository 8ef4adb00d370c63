"""A background pass over an input file: its SHA-256, and whether JSON booleans occur in it."""

from __future__ import annotations

import hashlib
import threading
from pathlib import Path

from wellprod_tui.importing.report import ImportFailed


class FileScan:
    """One pass over the file beside DuckDB's read: its SHA-256, and whether the words true or false
    occur (then JSON numbers must be read as text). Stops early when the import fails. A scan that
    cannot read the file fails the import when its answer is asked for (``shown_as`` names the file)."""

    def __init__(self, path: Path, look_for_booleans: bool, shown_as: Path | None = None, hashing: bool = True) -> None:
        self.path = path
        self.look_for_booleans = look_for_booleans
        #: Whether the SHA-256 is wanted (not for many files joined: each was hashed as it was copied).
        self.hashing = hashing
        self._shown_as = shown_as or path
        self._stop = threading.Event()
        self._digest = ""
        self._booleans = False
        self._done = False
        self._error: Exception | None = None
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

    def sha256(self) -> str:
        """The file's SHA-256 (waits for the scan); raise ImportFailed if the scan could not read it whole."""
        self._finished()
        return self._digest

    def saw_booleans(self) -> bool:
        """Whether true or false occurs anywhere in the file (waits for the scan; raise ImportFailed if the
        scan could not read it whole)."""
        self._finished()
        return self._booleans

    def _finished(self) -> None:
        self.start()  # an answer asked for before the start: scan now rather than wait forever
        self._thread.join()
        if self._error is not None or (self.hashing and not self._digest) or not self._done:
            why = self._error.strerror if isinstance(self._error, OSError) else self._error
            raise ImportFailed(
                f"{self._shown_as}: could not be read whole to take its checksum ({why or 'stopped'}); "
                "nothing imported"
            ) from self._error

    def _run(self) -> None:
        try:
            self._scan()
        except Exception as exc:  # told by sha256() and saw_booleans(), in the import's thread
            self._error = exc

    def _scan(self) -> None:
        digest, tail = hashlib.sha256(), b""
        if not (self.hashing or self.look_for_booleans):
            self._done = True
            return
        for name, part in dataset_files(self.path):
            if name:  # a folder's checksum covers each file's name and bytes, in name order
                digest.update(name.encode() + b"\0")
            with part.open("rb") as handle:
                while block := handle.read(8 << 20):
                    if self._stop.is_set():
                        return
                    if self.hashing:
                        digest.update(block)
                    if self.look_for_booleans and not self._booleans:
                        window = tail + block  # a word may straddle two blocks
                        self._booleans = b"true" in window or b"false" in window
                        tail = block[-4:]
        self._digest = digest.hexdigest() if self.hashing else ""
        self._done = True


def dataset_files(path: Path) -> list[tuple[str, Path]]:
    """The file itself (no name), or a folder's Parquet files by their path inside it, in name order."""
    if not path.is_dir():
        return [("", path)]
    return sorted((p.relative_to(path).as_posix(), p) for p in path.rglob("*.parquet") if p.is_file())
