"""The core stands without the UI: importing it never loads Textual."""

import pkgutil
import subprocess
import sys

import wellprod_tui

CORE = sorted(m.name for m in pkgutil.iter_modules(wellprod_tui.__path__) if m.name not in ("tui", "__main__"))


def test_core_modules_import_without_loading_textual() -> None:
    code = (
        "import importlib, sys\n"
        f"for name in {CORE!r}:\n"
        "    importlib.import_module('wellprod_tui.' + name)\n"
        "print(sorted(n for n in sys.modules if n.split('.')[0] == 'textual'))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "cli" in CORE and "importer" in CORE
    assert out.stdout.strip() == "[]"


def test_importing_the_package_loads_nothing_heavy() -> None:
    code = "import sys, wellprod_tui.cli; print([m for m in ('duckdb', 'polars', 'textual') if m in sys.modules])"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
