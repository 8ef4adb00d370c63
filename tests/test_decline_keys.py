"""The Decline view's keys as plain functions: what each does to the fit's options, and what a typed Dmin or
limit is refused for."""

from __future__ import annotations

import pytest

from wellprod_tui.core.config import DeclineSettings
from wellprod_tui.decline.analysis import Options
from wellprod_tui.tui import decline_keys


def test_the_model_key_skips_modified_until_dmin_is_set_and_says_so() -> None:
    seen, options = [], Options()
    notes = []
    for _ in range(5):
        options, note = decline_keys.next_model(options)
        seen.append(options.model)
        notes.append(note)
    assert "modified" not in seen
    assert any(note and "Dmin" in note for note in notes)
    with_dmin = Options(model="harmonic", dmin=0.08)
    assert decline_keys.next_model(with_dmin)[0].model == "modified"


def test_nudging_b_locks_it_within_0_and_2_and_leaves_fixed_b_models() -> None:
    up = decline_keys.nudged_b(Options(model="exponential"), None, 1)
    assert (up.b, up.model) == (0.55, "hyperbolic")  # from the default 0.5 when nothing was fitted
    top = Options(b=1.98)
    assert decline_keys.nudged_b(decline_keys.nudged_b(top, None, 1), None, 1).b == 2.0
    assert decline_keys.nudged_b(Options(b=0.02), None, -1).b == 0.0
    assert decline_keys.toggled_b(Options(b=0.7), None).b is None


def test_the_phase_key_takes_that_phase_s_limit_and_its_whole_history() -> None:
    settings = DeclineSettings(qel_oil_kbd=0.01, qel_gas_mmcfd=0.2, qel_water_kbd=0.0)
    options = Options(phase="oil", qel=0.01, from_month=24000, to_month=24100)
    gas = decline_keys.next_phase(options, settings)
    assert (gas.phase, gas.qel, gas.from_month, gas.to_month) == ("gas", 0.2, None, None)
    assert decline_keys.next_phase(decline_keys.next_phase(gas, settings), settings).phase == "oil"
    assert decline_keys.next_basis(decline_keys.next_basis(Options())).basis == "calendar"
    assert decline_keys.next_basis(Options()).basis == "producing"


def test_a_typed_dmin_is_a_tangent_percentage_and_empty_takes_it_away() -> None:
    eight = decline_keys.typed(Options(dmin_type="secant"), "dmin", " 8 ")
    assert (eight.dmin, eight.dmin_type) == (0.08, "tangent")
    assert decline_keys.asked(eight, "dmin")[0] == "8"
    gone = decline_keys.typed(Options(model="modified", dmin=0.08), "dmin", "")
    assert (gone.dmin, gone.model) == (None, "auto")  # modified cannot stay without Dmin
    assert decline_keys.typed(Options(), "qel", "0.5").qel == 0.5


@pytest.mark.parametrize(
    ("what", "text", "says"),
    [("dmin", "150", "between 0 and 100"), ("dmin", "0", "between 0 and 100"), ("dmin", "eight", "not a number"),
     ("qel", "-1", "0 or more"), ("qel", "", "0 or more")],
)
def test_a_typed_value_out_of_range_is_refused_saying_why(what: str, text: str, says: str) -> None:
    with pytest.raises(ValueError, match=says):
        decline_keys.typed(Options(), what, text)


@pytest.mark.parametrize(
    ("options", "what", "text", "says"),
    [(Options(), "qel", "-1", "the limit must be a rate of 0 or more"),
     (Options(), "qel", "", "the limit must be a rate of 0 or more"),
     (Options(model="modified", dmin=0.08, from_month=24_200, to_month=24_100), "qel", "1",
      "the fit's first month must not come after the fit's last month")],
)
def test_the_app_words_an_option_error_with_its_own_names_not_the_cli_s_flags(
    options: Options, what: str, text: str, says: str
) -> None:
    with pytest.raises(ValueError, match=says) as raised:
        decline_keys.typed(options, what, text)
    assert "--" not in str(raised.value)
