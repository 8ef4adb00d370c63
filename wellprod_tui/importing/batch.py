"""Many files as one import: a folder of data files, a ``.zip``, or several paths (a glob the shell expanded).

Files of one layout (one format; for delimited text, one header) are joined at C speed into one file in the
import's scratch folder, so that one DuckDB reader reads them in one pass and every rule (validation, the
numbering of lines and records, rejects and warnings) runs once over all of them; each member's first line
in the joined file is kept, so that a reject or warning names the member file and its own line. Parquet
files are linked into one folder and read as one dataset. Each member's name, size and SHA-256 go to the
imports log.
"""

from __future__ import annotations

import hashlib
import shutil
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from wellprod_tui.importing import sources
from wellprod_tui.importing.file_scan import dataset_files
from wellprod_tui.importing.report import ImportCancelled, ImportFailed
from wellprod_tui.importing.tables import CSV_ASIDE_LINES, CSV_ROW_LINES
from wellprod_tui.storage.connection import Connection

#: Extensions of the files a folder or a zip is read for (others, such as a README, are left alone).
DATA_EXTENSIONS = (".csv", ".txt", ".ndjson", ".jsonl", ".json", ".parquet", ".pq")
#: A temp table: each member of a joined file, where its lines lie and how many records come before it.
BATCH_FILES = "batch_files"
_BLOCK = 8 << 20


@dataclass(frozen=True)
class Member:
    """One file of a batch: its name as the user knows it, where its bytes are, its size and SHA-256, and
    (once joined) the line of the joined file where its first data line lies and its data lines."""

    name: str
    path: Path
    size_bytes: int = 0
    sha256: str = ""
    start_line: int = 0
    lines: int = 0

    def logged(self) -> dict[str, object]:
        """What the imports log keeps of it."""
        return {"name": self.name, "size_bytes": self.size_bytes, "sha256": self.sha256, "lines": self.lines}


@dataclass(frozen=True)
class Batch:
    """Files imported as one: what the user named, the members in name order, and the one path read."""

    shown: Path
    members: tuple[Member, ...]
    read_path: Path
    format: str
    #: Line of a member's own file where its data starts (2 under a CSV header, 1 for NDJSON); 0 for
    #: Parquet (records only).
    first_data_line: int = 0

    @property
    def size_bytes(self) -> int:
        """The members' bytes added up."""
        return sum(m.size_bytes for m in self.members)

    def sha256(self) -> str:
        """The SHA-256 of the members' names and SHA-256s, one a line in name order (what the log keeps)."""
        listed = "".join(f"{m.name}\0{m.sha256}\n" for m in self.members)
        return hashlib.sha256(listed.encode()).hexdigest()


def is_batch(paths: Sequence[Path]) -> bool:
    """Whether ``paths`` name more than one file: several paths, a zip, or a folder of data files none of
    which is Parquet (a folder holding Parquet files stays one hive-partitioned dataset read as one file, as
    ``sources`` reads it: its JSON files are an Iceberg or Delta table's metadata, never records)."""
    if len(paths) > 1:
        return True
    path = paths[0]
    if path.is_dir():
        return not dataset_files(path) and bool(data_files(path))
    return path.suffix.lower() == ".zip" and zipfile.is_zipfile(path)


def one_layout(paths: Sequence[Path]) -> bool:
    """Whether several paths are files of one layout, to be imported as one: one format (NDJSON, CSV or
    Parquet; JSON documents go one at a time) and, for delimited text, one header."""
    layouts = set()
    for path in paths:
        try:
            kind = sources.detect(path).format if path.is_file() else "?"
        except sources.SourceError:
            return False
        if kind == "csv":
            with path.open("rb") as handle:
                layouts.add(_header_key(handle.readline(1 << 20)))
        else:
            layouts.add(kind.encode())
        if kind in ("json", "?") or len(layouts) > 1:
            return False
    return True


def shown_name(paths: Sequence[Path]) -> Path:
    """What a summary calls the files: a folder or zip by its name, several paths by their common folder."""
    if len(paths) == 1:
        return paths[0]
    parents = {p.parent for p in paths}
    return parents.pop() if len(parents) == 1 else Path(*_common_parts([p.parent for p in paths]))


def _common_parts(paths: list[Path]) -> list[str]:
    common: list[str] = []
    for parts in zip(*(p.parts for p in paths), strict=False):
        if len(set(parts)) != 1:
            break
        common.append(parts[0])
    return common or ["/"]


def gather(paths: Sequence[Path], workdir: Path, cancelled: Callable[[], bool]) -> list[Member]:
    """The files ``paths`` name, in name order: a folder's data files (by their path inside it), a zip's
    (extracted into ``workdir``), or the paths themselves. Raise ImportFailed when there is none."""
    if len(paths) == 1 and paths[0].is_dir():
        found = [Member(p.relative_to(paths[0]).as_posix(), p) for p in data_files(paths[0])]
    elif len(paths) == 1:
        found = _unzipped(paths[0], workdir / "unzipped", cancelled)
    else:
        found = []
        for path in paths:
            if path.is_dir() or not path.exists():
                raise ImportFailed(f"{path}: {'a folder' if path.exists() else 'no such file'}; among several "
                                   "paths give files (or one folder alone)")
            found.append(Member(str(path), path))
    if not found:
        raise ImportFailed(f"{shown_name(paths)}: no data file ({', '.join(DATA_EXTENSIONS)}) in it; nothing imported")
    names = [m.name for m in found]
    repeated = sorted({n for n in names if names.count(n) > 1})
    if repeated:
        raise ImportFailed(f"{repeated[0]}: named more than once; each file is imported once")
    return sorted(found, key=lambda m: m.name)


def data_files(folder: Path) -> list[Path]:
    """The data files in ``folder`` and below (hidden ones left alone), in name order."""
    return sorted(
        p for p in folder.rglob("*")
        if p.is_file() and p.suffix.lower() in DATA_EXTENSIONS
        and not any(part.startswith(".") for part in p.relative_to(folder).parts)
    )


def _unzipped(archive: Path, folder: Path, cancelled: Callable[[], bool]) -> list[Member]:
    """Extract the data files of a zip under plain numbered names (a name in a zip is never a path here)."""
    folder.mkdir(parents=True, exist_ok=True)
    members = []
    try:
        with zipfile.ZipFile(archive) as zipped:
            for number, info in enumerate(zipped.infolist()):
                name = PurePosixPath(info.filename)
                hidden = any(part.startswith((".", "__MACOSX")) for part in name.parts)
                if info.is_dir() or hidden or name.suffix.lower() not in DATA_EXTENSIONS:
                    continue
                if cancelled():
                    raise ImportCancelled(f"{archive}: import cancelled; the database is unchanged")
                target = folder / f"{number:06d}{name.suffix.lower()}"
                with zipped.open(info) as source, target.open("wb") as out:
                    shutil.copyfileobj(source, out, _BLOCK)
                members.append(Member(info.filename, target))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError) as exc:
        raise ImportFailed(f"{archive}: cannot be unzipped ({exc}); nothing imported") from exc
    return members


def join(
    shown: Path, members: Sequence[Member], lines_before_data: int, workdir: Path, cancelled: Callable[[], bool]
) -> Batch:
    """One readable path for ``members`` (all of one layout, or ImportFailed naming the first that differs):
    CSV and NDJSON joined into one file (the header once), Parquet linked into one folder."""
    formats = {m.name: sources.detect(m.path).format for m in members}
    first = members[0]
    kind = formats[first.name]
    for member in members:
        if formats[member.name] != kind:
            raise ImportFailed(f"{member.name}: {formats[member.name]}, while {first.name} is {kind}: the files of "
                               "one import share one format; import the others separately. Nothing imported.")
    if kind == "parquet":
        folder = workdir / "dataset"
        folder.mkdir()
        for number, member in enumerate(members):
            (folder / f"{number:06d}.parquet").symlink_to(member.path.absolute())
        hashed = tuple(_hashed(m, cancelled) for m in members)
        return Batch(shown, hashed, folder, kind)
    if kind == "json":
        raise ImportFailed(f"{shown}: JSON documents are imported one at a time (NDJSON, CSV and Parquet files "
                           "can be imported together); nothing imported")
    header = lines_before_data if kind == "csv" else 0
    target = workdir / f"joined.{kind}"
    joined: list[Member] = []
    line = header + 1
    with target.open("wb") as out:
        expected = b""
        for number, member in enumerate(members):
            head, size, digest, lines = _copy(member, out, header, bool(number), cancelled)
            if number == 0:
                expected = _header_key(head)
                lines -= header
            elif _header_key(head) != expected:
                raise ImportFailed(
                    f"{member.name}: line 1: its header differs from {first.name}'s; the files of one import "
                    "share one layout; import the others separately. Nothing imported."
                )
            joined.append(Member(member.name, member.path, size, digest, line, lines))
            line += lines
    return Batch(shown, tuple(joined), target, kind, header + 1)


def _header_key(head: bytes) -> bytes:
    return head.removeprefix(b"\xef\xbb\xbf").rstrip(b"\r\n")


def _copy(
    member: Member, out: BinaryIO, header: int, skip: bool, cancelled: Callable[[], bool]
) -> tuple[bytes, int, str, int]:
    """Append ``member`` to ``out`` (without its ``header`` lines when ``skip``), ending on a newline: (its
    header lines, its size, its SHA-256, the lines appended)."""
    digest, size, lines, last = hashlib.sha256(), 0, 0, b"\n"
    with member.path.open("rb") as handle:
        head = b"".join(handle.readline(1 << 20) for _ in range(header))
        if skip:
            digest.update(head)
            size = len(head)
        else:
            handle.seek(0)
        while block := handle.read(_BLOCK):
            if cancelled():
                raise ImportCancelled(f"{member.name}: import cancelled; the database is unchanged")
            digest.update(block)
            size += len(block)
            lines += block.count(b"\n")
            last = block[-1:]
            out.write(block)
    if last != b"\n":  # a file not ending on a newline: its last line still ends before the next file
        out.write(b"\n")
        lines += 1
    return head, size, digest.hexdigest(), lines


def _hashed(member: Member, cancelled: Callable[[], bool]) -> Member:
    digest, size = hashlib.sha256(), 0
    with member.path.open("rb") as handle:
        while block := handle.read(_BLOCK):
            if cancelled():
                raise ImportCancelled(f"{member.name}: import cancelled; the database is unchanged")
            digest.update(block)
            size += len(block)
    return Member(member.name, member.path, size, digest.hexdigest())


def per_file_sql(batch: Batch, con: Connection, mapped: bool) -> Callable[[str, str], str]:
    """A wrapper of a rejects or warnings SELECT (``record``, ``line`` in the joined file, then the rest)
    that names the member file and counts its record and line within it, also the record a reason names
    ("duplicate of record N", in the text column given). Makes BATCH_FILES; with ``mapped`` (records and
    lines differ: blank lines, values over several lines) the records before each member are counted from
    the line maps of ``rejects.numbering``."""
    before, joined = f"f.start_line - {batch.first_data_line}", ""
    if mapped:
        before = "coalesce(r.record, 0)"
        joined = f"""ASOF LEFT JOIN (
            SELECT good_row + line_offset AS line, good_row + record_offset AS record FROM {CSV_ROW_LINES}
            UNION ALL SELECT file_line, record FROM {CSV_ASIDE_LINES}) r ON f.start_line > r.line"""
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE {BATCH_FILES} AS
        WITH f AS (SELECT unnest(?::VARCHAR[]) AS name, unnest(?::BIGINT[]) AS start_line,
                          unnest(?::BIGINT[]) AS lines)
        SELECT f.name, f.start_line, f.lines, {before} AS records_before FROM f {joined}""",
        [[m.name for m in batch.members], [m.start_line for m in batch.members], [m.lines for m in batch.members]],
    )

    def wrapped(sql: str, text: str) -> str:
        other = "CASE WHEN k.name IS DISTINCT FROM f.name THEN ' in ' || k.name ELSE '' END"
        told = (f"CASE WHEN k.name IS NULL THEN r.{text} ELSE regexp_replace(r.{text}, 'of record [0-9]+', "
                f"'of record ' || (r.told_record - k.records_before) || {other}) END")
        return f"""SELECT f.name AS file, r.record - f.records_before AS record,
                   r.line - f.start_line + {batch.first_data_line} AS line,
                   r.* EXCLUDE (record, line, told_record) REPLACE ({told} AS {text})
            FROM (SELECT *, TRY_CAST(regexp_extract({text}, 'of record ([0-9]+)', 1) AS BIGINT) AS told_record
                  FROM ({sql})) r
            ASOF LEFT JOIN {BATCH_FILES} f ON coalesce(r.line, 0) >= f.start_line
            ASOF LEFT JOIN (SELECT * FROM {BATCH_FILES} WHERE lines > 0) k
                ON coalesce(r.told_record, 0) > k.records_before"""

    return wrapped


def named_line(batch: Batch, line: int) -> tuple[str, int]:
    """The member and its own line of a line of the joined file."""
    owner = batch.members[0]
    for member in batch.members:
        if member.start_line > line:
            break
        owner = member
    return owner.name, line - owner.start_line + batch.first_data_line
