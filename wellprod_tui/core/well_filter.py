"""The filter language that picks a set of wells: ``operator=NOBLE*``, ``formation in (CODELL,NIOBRARA)``,
``first_production>=2015-01``, ``lateral_length_ft>7000 and not status=SI``. Parsed here into a typed tree
(plain Python, never SQL); ``queries.well_sets`` compiles the tree to SQL with every value bound as a
parameter. Text compares without regard to case, ``*`` matching any run of characters; months are
``YYYY-MM`` (a date attribute compares by its month); numbers are numbers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from wellprod_tui.core.api_numbers import code_digits
from wellprod_tui.core.months import WindowError, parse_month

TEXT, NUMBER, MONTH, CODE = "text", "number", "month", "code"
#: The attributes every database knows, and their kinds. A header file's other columns are text attributes
#: under their own names (``Loc_Name``), known once a header file that has them is imported.
ATTRIBUTES: dict[str, str] = {
    "well": CODE,
    "well_name": TEXT,
    "operator": TEXT,
    "formation": TEXT,
    "field": TEXT,
    "field_name": TEXT,
    "county": TEXT,
    "state": TEXT,
    "status": TEXT,
    "well_class": TEXT,
    "spud_date": MONTH,
    "completion_date": MONTH,
    "first_production": MONTH,
    "last_production": MONTH,
    "latitude": NUMBER,
    "longitude": NUMBER,
    "lateral_length_ft": NUMBER,
    "md_ft": NUMBER,
    "tvd_ft": NUMBER,
}
COMPARISONS = ("=", "!=", "<", "<=", ">", ">=")
MAX_FILTER_CHARS = 4000


class FilterError(ValueError):
    """A filter that cannot be read: the message names the attribute, value or place at fault."""


@dataclass(frozen=True)
class Condition:
    """One test of an attribute: ``op`` is a comparison, ``in`` or ``not in``; values are typed by the
    attribute's kind (str for text and codes, float for numbers, the month's first day for months)."""

    attribute: str
    kind: str
    op: str
    values: tuple[str | float | date, ...]


@dataclass(frozen=True)
class AllOf:
    """Every part holds (``and``)."""

    parts: tuple[Filter, ...]


@dataclass(frozen=True)
class AnyOf:
    """Some part holds (``or``)."""

    parts: tuple[Filter, ...]


@dataclass(frozen=True)
class Negated:
    """The part does not hold (``not``)."""

    part: Filter


Filter = Condition | AllOf | AnyOf | Negated

_TOKEN = re.compile(
    r"""\s*(?:(?P<punct>[(),])|(?P<op>!=|<=|>=|=|<|>)|"(?P<dq>[^"]*)"|'(?P<sq>[^']*)'|(?P<word>[^\s(),=<>!"']+))"""
)
_KEYWORDS = ("and", "or", "not", "in")


def parse_filter(text: str, extra_attributes: tuple[str, ...] = ()) -> Filter:
    """The tree of a filter; ``extra_attributes``: the text attributes the database's headers add.
    FilterError names what is wrong: an unknown attribute (with the known ones), a value of the wrong
    kind, or where the text stops making sense."""
    if len(text) > MAX_FILTER_CHARS:
        raise FilterError(f"the filter is {len(text):,} characters; at most {MAX_FILTER_CHARS:,}")
    parser = _Parser(_tokens(text), {**{a: TEXT for a in extra_attributes}, **ATTRIBUTES})
    if not parser.tokens:
        raise FilterError("the filter is empty (e.g. operator=NOBLE* and lateral_length_ft>7000)")
    tree = parser.either()
    if parser.position < len(parser.tokens):
        raise FilterError(f"unexpected {parser.tokens[parser.position][1]!r} in the filter {text.strip()!r}")
    return tree


def _tokens(text: str) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    position = 0
    while position < len(text):
        if not text[position:].strip():
            break
        match = _TOKEN.match(text, position)
        if not match:
            raise FilterError(f"cannot read the filter from {text[position:].strip()!r} (a quote left open?)")
        position = match.end()
        if match["punct"] or match["op"]:
            found.append(("punct" if match["punct"] else "op", match["punct"] or match["op"]))
        elif match["dq"] is not None or match["sq"] is not None:
            found.append(("value", match["dq"] if match["dq"] is not None else match["sq"]))
        else:
            word = match["word"]
            found.append(("keyword" if word.lower() in _KEYWORDS else "word", word))
    return found


class _Parser:
    """Recursive descent: either := both (or both)*; both := one (and one)*; one := not one | ( either ) |
    condition."""

    def __init__(self, tokens: list[tuple[str, str]], attributes: dict[str, str]) -> None:
        self.tokens, self.position, self.attributes = tokens, 0, attributes

    def peek(self) -> tuple[str, str]:
        return self.tokens[self.position] if self.position < len(self.tokens) else ("end", "")

    def take(self) -> tuple[str, str]:
        token = self.peek()
        if token[0] == "end":
            raise FilterError("the filter ends too soon (a condition, value or ')' is missing)")
        self.position += 1
        return token

    def keyword(self, word: str) -> bool:
        kind, text = self.peek()
        if kind == "keyword" and text.lower() == word:
            self.position += 1
            return True
        return False

    def either(self) -> Filter:
        parts = [self.both()]
        while self.keyword("or"):
            parts.append(self.both())
        return parts[0] if len(parts) == 1 else AnyOf(tuple(parts))

    def both(self) -> Filter:
        parts = [self.one()]
        while self.keyword("and"):
            parts.append(self.one())
        return parts[0] if len(parts) == 1 else AllOf(tuple(parts))

    def one(self) -> Filter:
        if self.keyword("not"):
            return Negated(self.one())
        if self.peek() == ("punct", "("):
            self.take()
            inner = self.either()
            if self.take() != ("punct", ")"):
                raise FilterError("a '(' is not closed")
            return inner
        return self.condition()

    def condition(self) -> Condition:
        kind, name = self.take()
        if kind != "word":
            raise FilterError(f"expected an attribute (e.g. operator), not {name!r}")
        attribute = self._attribute(name)
        attribute_kind = self.attributes[attribute]
        if self.keyword("not"):
            if not self.keyword("in"):
                raise FilterError(f"{attribute} not …: write '{attribute} not in (A,B)' or 'not {attribute}=A'")
            return Condition(attribute, attribute_kind, "not in", self._listed(attribute, attribute_kind))
        if self.keyword("in"):
            return Condition(attribute, attribute_kind, "in", self._listed(attribute, attribute_kind))
        kind, op = self.take()
        if kind != "op":
            raise FilterError(f"after {attribute} comes a comparison (=, !=, <, <=, >, >=) or 'in', not {op!r}")
        if op not in ("=", "!=") and attribute_kind in (TEXT, CODE):
            raise FilterError(f"{attribute} is text: compare it with = or != (or 'in'), not {op}")
        return Condition(attribute, attribute_kind, op, (self._value(attribute, attribute_kind),))

    def _attribute(self, name: str) -> str:
        if name in self.attributes:
            return name
        folded = {a.lower(): a for a in self.attributes}
        if name.lower() in folded:
            return folded[name.lower()]
        known = ", ".join(sorted(self.attributes, key=str.lower))
        raise FilterError(f"unknown attribute {name!r} (known: {known})")

    def _listed(self, attribute: str, kind: str) -> tuple[str | float | date, ...]:
        if self.take() != ("punct", "("):
            raise FilterError(f"{attribute} in …: list the values in parentheses, e.g. {attribute} in (A,B)")
        values = [self._value(attribute, kind)]
        while self.peek() == ("punct", ","):
            self.take()
            values.append(self._value(attribute, kind))
        if self.take() != ("punct", ")"):
            raise FilterError(f"{attribute} in (…): separate the values with commas and close with ')'")
        return tuple(values)

    def _value(self, attribute: str, kind: str) -> str | float | date:
        token_kind, text = self.take()
        if token_kind in ("punct", "op"):
            raise FilterError(f"{attribute}: a value is missing before {text!r}")
        if kind == NUMBER:
            try:
                return float(text.replace("_", ""))
            except ValueError:
                raise FilterError(f"{attribute}: {text!r} is not a number") from None
        if kind == MONTH:
            try:
                return parse_month(text, attribute)
            except WindowError as exc:
                raise FilterError(str(exc)) from None
        if kind == CODE:
            digits = code_digits(text)
            if digits is None:
                raise FilterError(f"{attribute}: {text!r} is not a well code or API number")
            return digits
        return text


def attributes_of(tree: Filter) -> set[str]:
    """The attributes a filter reads."""
    if isinstance(tree, Condition):
        return {tree.attribute}
    if isinstance(tree, Negated):
        return attributes_of(tree.part)
    return set().union(*(attributes_of(p) for p in tree.parts))
