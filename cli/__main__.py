"""`python -m cli` is the `catalog` command."""

from cli.commands import main

main()
