"""`python -m wiretrace`: the command line."""

from wiretrace.cli.main import main

if __name__ == "__main__":
    main()
