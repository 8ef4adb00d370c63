"""What the tests share, once: an isolated environment, the CLI (in-process or as a process), a process
holding the database, and the app started under a pilot that fails the test when a handler raised."""
