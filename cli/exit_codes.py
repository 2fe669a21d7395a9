"""The `catalog` command's exit codes, the same for every subcommand."""

EXIT_OK = 0
EXIT_RECORD_ERRORS = 1
EXIT_USAGE = 2
# A source was not harvested because a job of it was running already (another cron line,
# the steward area, another machine); the other sources ran. Ranks above EXIT_RECORD_ERRORS.
EXIT_SOURCE_BUSY = 3
