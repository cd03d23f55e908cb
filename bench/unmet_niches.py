"""Unmet-niche mining time on a seeded community.

Seed a scratch data directory first, then measure (SQLite by default, PostgreSQL with
DATABASE_URL):

    export COMMONGROUND_DATA_DIR=/tmp/niche-bench
    commonground migrate
    commonground seed --members 100000
    python bench/unmet_niches.py --repeat 3

Each run is the whole `niche_mine()` the `commonground niches` command and the background
task run: read the eligible members and their interests, mine every region, country and the
whole community apriori-style, and replace the stored niches in one transaction. Prints the
community's size, what was found, each run's seconds and the peak memory of the process.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "commonground.settings")
django.setup()

from django.db import connection  # noqa: E402

from commonground.groups.models import UnmetNiche  # noqa: E402
from commonground.groups.niches import DEFAULT_MIN_MEMBERS, niche_mine  # noqa: E402
from commonground.interests.models import MemberInterest  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--min-members", type=int, default=DEFAULT_MIN_MEMBERS)
    parser.add_argument("--max-size", type=int, default=3, choices=(2, 3))
    args = parser.parse_args()
    links = MemberInterest.objects.count()
    print(f"database: {connection.vendor}; member-interest links: {links:,}")
    seconds: list[float] = []
    cpu: list[float] = []
    summary = None
    for run in range(1, args.repeat + 1):
        started, started_cpu = time.perf_counter(), time.process_time()
        summary = niche_mine(min_members=args.min_members, max_size=args.max_size)
        seconds.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
        # CPU time is the figure to compare on a shared machine: wall time grows with load.
        print(f"run {run}: {seconds[-1]:.1f} s wall, {cpu[-1]:.1f} s CPU")
    assert summary is not None
    triples = UnmetNiche.objects.filter(interest_c__isnull=False).count()
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"eligible members: {summary.members:,}; places: {summary.places}; "
        f"niches stored: {summary.niches:,} ({triples:,} of 3 interests); "
        f"min members: {args.min_members}"
    )
    print(
        f"mining time: median {statistics.median(seconds):.1f} s wall "
        f"({statistics.median(cpu):.1f} s CPU), best {min(seconds):.1f} s; "
        f"peak RSS {peak_mb:,.0f} MB; load average {os.getloadavg()[0]:.1f}"
    )


if __name__ == "__main__":
    main()
