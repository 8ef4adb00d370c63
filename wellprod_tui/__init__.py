"""wellprod: well production records in the terminal."""

__version__ = "0.1.0"
