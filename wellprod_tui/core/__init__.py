"""Plain Python every other floor stands on: the record and its figures (domain), units, months and time
windows, the shared vocabulary, the config, text made safe for a terminal. Imports neither DuckDB nor Textual.
"""
