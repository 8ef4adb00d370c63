"""The Textual app over the core; nothing here is imported by the core or the CLI's subcommands."""
