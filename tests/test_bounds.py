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
