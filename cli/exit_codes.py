"""The `catalog` command's exit codes, the same for every subcommand."""

EXIT_OK = 0
EXIT_RECORD_ERRORS = 1
EXIT_USAGE = 2
