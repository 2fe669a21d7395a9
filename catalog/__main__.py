"""`python -m catalog` is the `catalog` command, which lives in cli/ (the composition root)."""


def main() -> None:
    # Imported when run, so no module of the catalog package loads cli by being imported.
    from cli.commands import main as run_command

    run_command()


if __name__ == "__main__":
    main()
