"""`python -m wiretrace`: the command line."""

from wiretrace.cli.main import cli

if __name__ == "__main__":
    cli()
