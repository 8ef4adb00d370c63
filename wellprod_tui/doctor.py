"""``wellprod doctor``: does the database open, is it consistent, how big is it, who holds its lock."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from wellprod_tui import store
from wellprod_tui.config import Config
from wellprod_tui.sharing import WaitCallback, connect_waiting, holder_of


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
    except store.DatabaseLocked as exc:
        report.update(status="locked", message=str(exc), holder=_holder(exc.pid))
        said = holder_of(path, exc.pid)
        if said.doing:
            report["holder_doing"] = f"{said.program}: {said.doing} since {said.since}"
        return report
    except store.StoreError as exc:
        report.update(status="corrupt", message=str(exc))
        return report
    try:
        checks = report["checks"]
        records = store.scalar(con, "SELECT count(*) FROM production")
        dups = store.scalar(
            con,
            "SELECT count(*) FROM (SELECT 1 FROM production GROUP BY well_code, production_period HAVING count(*) > 1)",
        )
        summarised = store.scalar(con, "SELECT coalesce(sum(months), 0) FROM well_summary")
        nulls = store.scalar(
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
        imports = store.scalar(con, "SELECT count(*) FROM imports")
        checks.append({"check": "import log readable", "ok": True, "detail": f"{imports} imports"})
        report["records"] = records
    except store.Error as exc:
        report["checks"].append({"check": "tables readable", "ok": False, "detail": str(exc).splitlines()[0]})
        problem = store.translate_error(path, exc)
        if isinstance(problem, store.DatabaseCorrupt):
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
    if report.get("holder"):
        lines.append(f"lock      held by {report['holder']}")
    if report.get("message"):
        lines.append(report["message"])
    lines.append(f"status    {report['status']}")
    return lines
