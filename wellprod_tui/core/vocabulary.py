"""The words wellprod's options take, each list once: phases, rate bases, duplicates policies, decline models
and conventions, and the units a decline reports each phase in. The CLI's choices, the config's checks, the
app's keys and the analyses all read them from here."""

from __future__ import annotations

#: Every phase a figure can be of; liquids is oil + water.
PHASES = ("oil", "gas", "water", "liquids")
#: The phases measured on their own (a decline is fitted to one of these; liquids is their sum).
MEASURED_PHASES = ("oil", "gas", "water")
#: A decline's rate and volume units of each measured phase (stored units: per day, and × days).
PHASE_UNITS: dict[str, tuple[str, str]] = {"oil": ("kbd", "kbbl"), "gas": ("MMcfd", "MMcf"), "water": ("kbd", "kbbl")}
#: Rates per calendar day (as stored) or per producing day (rate × days in the month / days on production).
BASES = ("calendar", "producing")
#: What rows that repeat a well and month become.
DUPLICATE_POLICIES = ("reject", "first", "last", "sum")
#: The Arps curves a fit ends with (modified: hyperbolic, then exponential at Dmin).
CURVE_MODELS = ("exponential", "hyperbolic", "harmonic", "modified")
#: What a fit can be asked for: auto picks b, the others fix or bound it.
FIT_MODELS = ("auto", *CURVE_MODELS)
#: How a decline is stated (SPEE REP #6): nominal per year, or secant / tangent effective annual fractions.
DECLINE_TYPES = ("nominal", "secant", "tangent")
