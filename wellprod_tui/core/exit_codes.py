"""The exit codes of ``wellprod``, defined once for the CLI and the app (README lists them)."""

from typing import Final

EXIT_OK: Final = 0
#: Bad input or a failed import: nothing was changed (also when every row of a file was rejected).
EXIT_BAD_INPUT: Final = 1
EXIT_USAGE: Final = 2
#: The database is held by another process (after waiting, where the command waits).
EXIT_LOCKED: Final = 3
#: ctrl+c or SIGTERM: the import was rolled back.
EXIT_INTERRUPTED: Final = 130
