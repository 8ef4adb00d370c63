"""Options that would make a command run for minutes and take gigabytes are refused at once, saying the bound."""

from __future__ import annotations

from pathlib import Path

import pytest

from wellprod_tui import cli
from wellprod_tui.core import config


@pytest.mark.parametrize("years", ["1e6", "1e9", "101", "0", "-3", "nan"])
def test_a_forecast_longer_than_a_century_is_refused(years: str, capsys: pytest.CaptureFixture[str]) -> None:
    code = cli.main(["decline", "--qi", "1", "--di", "0.3", "--di-type", "nominal", "--years", years])
    assert code == 2
    assert "--years: must be more than 0 and at most 100" in capsys.readouterr().err


def test_a_century_is_allowed(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["decline", "--qi", "1", "--di", "0.3", "--di-type", "nominal", "--years", "100"]) == 0
    assert "cap 100 years" in capsys.readouterr().out


def test_a_config_cap_beyond_a_century_names_the_line_and_key(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text("[decline]\ncap_years = 100000000\n")
    with pytest.raises(config.ConfigError, match=r"line 2: 'decline.cap_years' must be at most 100"):
        config.load(path)


@pytest.mark.parametrize(("value", "said"), [("1KB", "must be at least 64MB"), ("lots", "must be a size such as")])
def test_a_memory_limit_no_import_can_work_in_names_the_config_line(tmp_path: Path, value: str, said: str) -> None:
    path = tmp_path / "config.toml"
    path.write_text(f'[import]\nmemory_limit = "{value}"\n')
    with pytest.raises(config.ConfigError, match=rf"line 2: 'import.memory_limit' {said}"):
        config.load(path)


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/null"])
def test_a_device_as_the_database_is_named_as_such(device: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["--db", device, "stats"]) == 1
    assert f"{device}: is a device, pipe or socket, not a database file" in capsys.readouterr().err


def test_an_export_onto_a_loop_of_links_is_named(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "a").symlink_to(tmp_path / "b")
    (tmp_path / "b").symlink_to(tmp_path / "a")
    assert cli.main(["--db", str(tmp_path / "x.duckdb"), "import"]) == 0
    capsys.readouterr()
    assert cli.main(["--db", str(tmp_path / "x.duckdb"), "export", "-o", str(tmp_path / "a")]) == 1
    assert f"{tmp_path / 'a'}: a loop of symbolic links, not a file; nothing written" in capsys.readouterr().err
