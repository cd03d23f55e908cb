"""The `commonground` console script: every Django management command, plus our own."""

import os
import sys

_UNMIGRATED = ("no such table", "does not exist")  # SQLite; PostgreSQL ("relation ... does not")


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "commonground.settings")
    from django.core.management import execute_from_command_line
    from django.db.utils import OperationalError, ProgrammingError

    argv = sys.argv[:]
    argv[0] = "commonground"
    if len(argv) == 1:
        argv.append("help")
    try:
        execute_from_command_line(argv)
    except (OperationalError, ProgrammingError) as error:
        # An operator's mistake (a database not migrated, not reachable): one line, no trace.
        lines = str(error).strip().splitlines()
        reason = lines[0] if lines else type(error).__name__
        hint = (
            " (run `commonground migrate` first)" if any(s in reason for s in _UNMIGRATED) else ""
        )
        sys.stderr.write(f"commonground: database error: {reason}{hint}\n")
        raise SystemExit(1) from None


if __name__ == "__main__":
    main()
