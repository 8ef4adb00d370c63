"""``wellprod doctor``: does the database open, is it consistent, how big is it, who holds its lock."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from wellprod_tui import storage
from wellprod_tui.core.config import Config
from wellprod_tui.queries import allocation_view
from wellprod_tui.storage.locking import WaitCallback, connect_waiting, holder_of


def _holder(pid: int | None) -> str:
    if not pid:
        return "unknown process"
    try:
        command = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace").strip()
    except OSError:
        command = ""
    return f"PID {pid}" + (f" ({command})" if command else "")


def check(cfg: Config, wait_s: float = 0.0, on_wait: WaitCallback | None = None) -> dict[str, Any]:
    """A report: status healthy / locked / corrupt / unhealthy / missing, with checks and sizes (waiting up to
    ``wait_s`` for a process that holds the file)."""
    path = cfg.database_path
    report: dict[str, Any] = {"database": str(path), "checks": [], "status": "healthy"}
    if not path.exists():
        report.update(status="missing", message=f"{path}: no database yet; run `wellprod import`")
        return report
    report["database_bytes"] = path.stat().st_size
    wal = path.with_name(path.name + ".wal")
    report["wal_bytes"] = wal.stat().st_size if wal.exists() else 0
    try:
        con, _ = connect_waiting(path, True, None, wait_s, on_wait)
    except storage.DatabaseLocked as exc:
        report.update(status="locked", message=str(exc), holder=_holder(exc.pid))
        said = holder_of(path, exc.pid)
        if said.doing:
            report["holder_doing"] = f"{said.program}: {said.doing} since {said.since}"
        return report
    except storage.StoreError as exc:
        report.update(status="corrupt", message=str(exc))
        return report
    try:
        checks = report["checks"]
        records = storage.scalar(con, "SELECT count(*) FROM production")
        dups = storage.scalar(
            con,
            "SELECT count(*) FROM (SELECT 1 FROM production GROUP BY well_code, production_period HAVING count(*) > 1)",
        )
        summarised = storage.scalar(con, "SELECT coalesce(sum(months), 0) FROM field_wells")
        nulls = storage.scalar(
            con, "SELECT count(*) FROM production WHERE well_code IS NULL OR production_period IS NULL"
        )
        checks.append({"check": "opens read-only", "ok": True, "detail": f"{records:,} records"})
        checks.append({"check": "one row per well and month", "ok": dups == 0, "detail": f"{dups} duplicate keys"})
        checks.append({"check": "keys present", "ok": nulls == 0, "detail": f"{nulls} rows without a key"})
        checks.append(
            {
                "check": "well summary up to date",
                "ok": summarised == records,
                "detail": f"{summarised:,} of {records:,} records summarised",
            }
        )
        both = storage.records(
            con,
            f"SELECT field_code, field_name, oil_difference_pct, months_both FROM ({allocation_view().sql})",
        )
        checks.append(
            {
                "check": "fields with field-level rows beside wells",
                "ok": True,
                "detail": f"{len(both)} field(s); the wells' sum counts in months with both",
            }
        )
        report["field_differences"] = both
        imports = storage.scalar(con, "SELECT count(*) FROM imports")
        checks.append({"check": "import log readable", "ok": True, "detail": f"{imports} imports"})
        trail = storage.scalar(con, "SELECT count(*) FROM revisions") if storage.has_table(con, "revisions") else 0
        checks.append({"check": "revision trail", "ok": True, "detail": f"{trail:,} superseded rows kept"})
        report["revisions"] = trail
        report["records"] = records
    except storage.Error as exc:
        report["checks"].append({"check": "tables readable", "ok": False, "detail": str(exc).splitlines()[0]})
        problem = storage.translate_error(path, exc)
        if isinstance(problem, storage.DatabaseCorrupt):
            report.update(status="corrupt", message=str(problem))
    finally:
        con.close()
    if report["status"] == "healthy" and not all(c["ok"] for c in report["checks"]):
        report["status"] = "unhealthy"
    return report


def report_lines(report: dict[str, Any]) -> list[str]:
    """The report as lines of text."""
    lines = [f"database  {report['database']}"]
    if "database_bytes" in report:
        lines.append(
            f"size      {report['database_bytes'] / 1e6:.1f} MB (+ {report.get('wal_bytes', 0) / 1e6:.1f} MB WAL)"
        )
    for check in report["checks"]:
        lines.append(f"{'ok  ' if check['ok'] else 'FAIL'}      {check['check']}: {check['detail']}")
    for field in report.get("field_differences", []):
        diff = field["oil_difference_pct"]
        lines.append(
            f"          field {field['field_code']} {field['field_name'] or ''}: oil reported vs sum of wells "
            f"{'-' if diff is None else f'{diff:+.1f} %'} over {field['months_both']} month(s)"
        )
    if report.get("holder"):
        lines.append(f"lock      held by {report['holder']}")
    if report.get("message"):
        lines.append(report["message"])
    lines.append(f"status    {report['status']}")
    return lines
