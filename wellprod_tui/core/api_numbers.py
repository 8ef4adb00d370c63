"""Well codes as engineers type them: US API numbers with or without dashes (``05-123-31642-01``,
``0512331642``), 10, 12 or 14 digits. A code is stored as an integer, so its leading zeros are gone and an
API-10 names every wellbore (sidetrack) stored as the 12 digits that start with it."""

from __future__ import annotations

import re

from wellprod_tui.core.domain import MAX_CODE_DIGITS

_TYPED_CODE = re.compile(r"^\s*\d[\d\s-]*\s*$")


def code_digits(text: str) -> str | None:
    """The digits of a typed code (``05-123-31642-01`` → ``051233164201``); None when ``text`` is not one."""
    if not _TYPED_CODE.match(text):
        return None
    digits = re.sub(r"[\s-]", "", text)
    return digits if len(digits) <= MAX_CODE_DIGITS else None


def code_ranges(text: str) -> list[tuple[int, int]]:
    """The ranges of stored well codes a typed code names, the exact code first: an API-10 also names its
    wellbores (the API-12 codes it starts), an API-12 the API-14 codes it starts, an API-14 its API-12."""
    digits = code_digits(text)
    if digits is None:
        return []
    exact = int(digits)
    ranges = [(exact, exact)]
    if len(digits) in (10, 12):
        ranges.append((exact * 100, exact * 100 + 99))
    elif len(digits) == 14:
        ranges.append((exact // 100, exact // 100))
    return ranges


def api_label(code: int) -> str:
    """An API-12 well code as engineers write it: 51233164201 → ``05-123-31642-01`` (others as they are)."""
    digits = f"{code:012d}" if 10**10 <= code < 10**12 else str(code)
    if len(digits) != 12:
        return digits
    return f"{digits[:2]}-{digits[2:5]}-{digits[5:10]}-{digits[10:]}"


def header_key(code: int) -> int:
    """The key of a well's header: an API-12 or API-14 code's API-10 (the sidetracks of one API share
    its header; 51234761001 → 512347610), any other code itself."""
    if 10**12 <= code < 10**14:
        return code // 10_000
    if 10**10 <= code < 10**12:
        return code // 100
    return code


def header_key_sql(code: str) -> str:
    """SQL twin of ``header_key`` over the BIGINT expression ``code``."""
    return (f"CASE WHEN {code} >= 1000000000000 AND {code} < 100000000000000 THEN {code} // 10000 "
            f"WHEN {code} >= 10000000000 AND {code} < 1000000000000 THEN {code} // 100 ELSE {code} END")
