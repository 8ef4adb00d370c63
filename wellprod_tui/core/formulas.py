"""The spreadsheet-formula rule for text cells, both ways: the CSV writer puts a quote before a cell that a
spreadsheet would run as a formula, and the CSV reader takes exactly that quote away (a round trip)."""

#: First characters that make a spreadsheet run a cell as a formula (OWASP's list), as SQL literals.
FORMULA_STARTS = "'=', '+', '-', '@', chr(9), chr(13)"


def formula_safe(column: str) -> str:
    """SQL: the text column with a quote before a first character that would start a formula; plain
    numbers such as -5 are left alone (a spreadsheet reads them as numbers, not formulas). Quotes already
    before a formula start get one more, so that the importer takes exactly one away (a round trip)."""
    return (
        f"CASE WHEN left({column}, 1) IN ({FORMULA_STARTS}, '''') "
        f"AND left(ltrim({column}, ''''), 1) IN ({FORMULA_STARTS}) AND TRY_CAST({column} AS DOUBLE) IS NULL "
        f"THEN '''' || {column} ELSE {column} END"
    )


def unneutralised(text: str) -> str:
    """SQL: a text cell with the quote wellprod's CSV writer put before a formula start taken away (one
    quote, only before quotes then a formula start: the writer's rule reversed, see formula_safe)."""
    return (
        f"CASE WHEN left({text}, 1) = '''' AND left(ltrim({text}, ''''), 1) IN ({FORMULA_STARTS}) "
        f"THEN substr({text}, 2) ELSE {text} END"
    )
