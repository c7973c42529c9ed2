"""`python -m policycli` and the `policy` command."""


def main() -> int:
    """Run `policy`; Ctrl-C while the program is still loading ends it as quietly as later on."""
    try:
        from policycli.cli.app import main as run

        return run()
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    raise SystemExit(main())
