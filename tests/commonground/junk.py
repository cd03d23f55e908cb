"""Junk text for the bad-input sweeps: every page and endpoint must answer it with a clear
4xx (or ignore it), never a 500."""

JUNK = [
    "",
    "\x00",
    "%00",
    "x" * 5_000,
    "²",
    "-1",
    "0",
    "99999999999999999999999999",
    "1e308",
    "1e309",
    "NaN",
    "true",
    "[]",
    "{}",
    "<script>alert(1)</script>",
    "../../etc/passwd",
    "\u202e\U0001f600",
    "🙂" * 40,
]
