"""SQL text built from values: one way to quote a literal and an identifier, for every statement that must
name a path, a column or a text the user gave (DuckDB's COPY and readers take no parameters for these)."""


def sql_literal(text: str) -> str:
    """``text`` as a quoted SQL string literal: ``O'Brien`` → ``'O''Brien'``."""
    return "'" + text.replace("'", "''") + "'"


def sql_identifier(name: str) -> str:
    '''``name`` as a quoted SQL identifier, double quotes inside it doubled.'''
    return '"' + name.replace('"', '""') + '"'
