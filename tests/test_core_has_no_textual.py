"""The core stands without the UI: importing it never loads Textual."""

import pkgutil
import subprocess
import sys

import wellprod_tui

_ALL = (m.name.removeprefix("wellprod_tui.") for m in pkgutil.walk_packages(wellprod_tui.__path__, "wellprod_tui."))
CORE = sorted(name for name in _ALL if name.split(".")[0] not in ("tui", "__main__"))


def test_core_modules_import_without_loading_textual() -> None:
    code = (
        "import importlib, sys\n"
        f"for name in {CORE!r}:\n"
        "    importlib.import_module('wellprod_tui.' + name)\n"
        "print(sorted(n for n in sys.modules if n.split('.')[0] == 'textual'))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "cli" in CORE and "importing.job" in CORE
    assert out.stdout.strip() == "[]"


def test_importing_the_package_loads_nothing_heavy() -> None:
    code = "import sys, wellprod_tui.cli; print([m for m in ('duckdb', 'polars', 'textual') if m in sys.modules])"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
