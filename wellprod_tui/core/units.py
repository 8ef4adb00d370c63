"""Unit systems: field (kbd, MMcfd), field-small (bbl/d, Mcf/d) and metric (Sm³/d, kSm³/d). A view only:
stored data stays in kbd and MMcfd; queries multiply each column by its unit's factor in SQL and name the
column after the unit (``cum_oil_kbbl``, ``cum_oil_sm3``, ``oil_bbl_d``)."""

from __future__ import annotations

from dataclasses import dataclass

from wellprod_tui.core.domain import tidy

#: Cubic metres in a barrel, and in a cubic foot (exact by definition of the inch).
M3_PER_BBL = 0.158987294928
M3_PER_FT3 = 0.028316846592
#: scf/bbl in one Sm³/Sm³ (the ratio of the two volumes above, 5.614583...).
SCF_BBL_PER_SM3_SM3 = M3_PER_BBL / M3_PER_FT3

#: What a number can be: a calendar-day rate, a month's or a well's volume, a field's or the database's
#: larger total, or a gas-oil ratio.
QUANTITIES = ("rate", "volume", "total", "gor")


@dataclass(frozen=True)
class Unit:
    """A unit: how it is shown, how column names spell it, and the factor from the stored unit."""

    label: str
    key: str
    factor: float


@dataclass(frozen=True)
class UnitSystem:
    """One unit per quantity, for liquids (oil, water, liquids) and for gas."""

    name: str
    liquid: dict[str, Unit]
    gas: dict[str, Unit]
    gor: Unit

    def unit(self, quantity: str, phase: str = "oil") -> Unit:
        """The unit of ``quantity`` (rate, volume, total, gor) for ``phase``."""
        if quantity == "gor":
            return self.gor
        return (self.gas if phase == "gas" else self.liquid)[quantity]

    def label(self, quantity: str, phase: str = "oil") -> str:
        """The unit as shown: ``kbd``, ``Sm³/d``."""
        return self.unit(quantity, phase).label

    def name_of(self, base: str, quantity: str, phase: str) -> str:
        """A column's name with its unit: ``name_of("cum_oil", "volume", "oil")`` -> ``cum_oil_kbbl``."""
        return f"{base}_{self.unit(quantity, phase).key}"

    def sql(self, expression: str, quantity: str, phase: str = "oil") -> str:
        """SQL: a stored figure (kbd, MMcfd, kbbl, MMcf, scf/bbl) in this system's unit."""
        factor = self.unit(quantity, phase).factor
        return expression if factor == 1 else tidy(f"({expression}) * {factor!r}")

    def column(self, expression: str, base: str, quantity: str, phase: str) -> str:
        """SQL select item: the converted figure named with its unit."""
        return f"{self.sql(expression, quantity, phase)} AS {self.name_of(base, quantity, phase)}"

    @property
    def rates_label(self) -> str:
        """The rate units of a chart's title: ``oil, water kbd; gas MMcfd``."""
        return f"oil, water {self.label('rate')}; gas {self.label('rate', 'gas')}"

    def volumes_label(self, quantity: str = "volume") -> str:
        """The volume units of a chart's title: ``oil, water kbbl; gas MMcf``."""
        return f"oil, water {self.label(quantity)}; gas {self.label(quantity, 'gas')}"


def _units(*items: tuple[str, float]) -> dict[str, Unit]:
    """Rate, volume and total units from (label, factor); the key is the label in lower case, ``/`` as ``_``."""
    return {quantity: Unit(label, label.lower().replace("/", "_").replace("³", "3"), factor)
            for quantity, (label, factor) in zip(("rate", "volume", "total"), items, strict=True)}


FIELD = UnitSystem(
    "field",
    liquid=_units(("kbd", 1), ("kbbl", 1), ("kbbl", 1)),
    gas=_units(("MMcfd", 1), ("MMcf", 1), ("MMcf", 1)),
    gor=Unit("scf/bbl", "scf_bbl", 1),
)
FIELD_SMALL = UnitSystem(
    "field-small",
    liquid=_units(("bbl/d", 1000), ("bbl", 1000), ("bbl", 1000)),
    gas=_units(("Mcf/d", 1000), ("Mcf", 1000), ("Mcf", 1000)),
    gor=Unit("scf/bbl", "scf_bbl", 1),
)
METRIC = UnitSystem(
    "metric",
    # stored kbbl -> Sm³ is x 1000 x M3_PER_BBL; MMcf -> kSm³ is x 1000 x M3_PER_FT3
    liquid=_units(("Sm³/d", 158.987294928), ("Sm³", 158.987294928), ("kSm³", M3_PER_BBL)),
    gas=_units(("kSm³/d", 28.316846592), ("kSm³", 28.316846592), ("MSm³", M3_PER_FT3)),
    gor=Unit("Sm³/Sm³", "sm3_sm3", 1 / SCF_BBL_PER_SM3_SM3),
)
SYSTEMS = {system.name: system for system in (FIELD, FIELD_SMALL, METRIC)}
NAMES = tuple(SYSTEMS)


def system(name: str) -> UnitSystem:
    """The unit system called ``name``; ValueError naming the choices otherwise."""
    try:
        return SYSTEMS[name]
    except KeyError:
        raise ValueError(f"unknown units {name!r} (choose {', '.join(NAMES)})") from None


def following(current: UnitSystem) -> UnitSystem:
    """The next unit system in the order field, field-small, metric (then field again)."""
    return SYSTEMS[NAMES[(NAMES.index(current.name) + 1) % len(NAMES)]]
