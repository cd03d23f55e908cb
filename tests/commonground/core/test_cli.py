"""The console script itself, run as operators run it: a real process on its own SQLite data
directory (whatever database the suite uses)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def _run(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "COMMONGROUND_DATA_DIR": str(data_dir), "COMMONGROUND_HTTPS": "0"}
    env.pop("DATABASE_URL", None)
    env.pop("DJANGO_SETTINGS_MODULE", None)
    return subprocess.run(  # noqa: S603 - a fixed command line
        [sys.executable, "-c", "from commonground.cli import main; main()", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_a_database_never_migrated_gets_one_line_and_the_fix(tmp_path: Path) -> None:
    # when: matching before `migrate` ever ran
    result = _run(tmp_path, "match")

    # then
    assert result.returncode == 1
    assert len(result.stderr.strip().splitlines()) == 1
    assert result.stderr.startswith("commonground: database error: no such table: ")
    assert result.stderr.rstrip().endswith("(run `commonground migrate` first)")
    assert "Traceback" not in result.stdout + result.stderr
