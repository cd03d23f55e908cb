"""Directory search latency on a seeded community.

Seed first, then measure (SQLite by default, PostgreSQL with DATABASE_URL):

    commonground seed --members 100000 --seed 1
    python bench/directory_latency.py --queries 300

Each query is a random member searching in one of four shapes: their own ranking (no filter),
one of their interests, two of their interests ANDed, and two interests near their region.
Measured through the whole page (the Django test client: URL → view → selector → template)
and through the selector alone. Prints p50/p95/p99 in milliseconds and the query count.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "commonground.settings")
os.environ.setdefault("COMMONGROUND_HTTPS", "0")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost")
django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from commonground.interests.models import MemberInterest  # noqa: E402
from commonground.profiles.directory import DirectoryFilter, member_search  # noqa: E402
from commonground.profiles.models import Profile  # noqa: E402
from commonground.profiles.selectors import Viewer  # noqa: E402


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    call_command("collectstatic", interactive=False, verbosity=0)
    members = Profile.objects.filter(onboarding_step=4).count()
    user_ids = list(
        Profile.objects.filter(onboarding_step=4)
        .order_by("?")
        .values_list("user_id", flat=True)[: args.queries]
    )
    print(f"database: {connection.vendor}; members: {members:,}; queries: {len(user_ids)}")
    shapes = ["ranking", "one interest", "two interests", "two interests near me"]
    page_ms: dict[str, list[float]] = {s: [] for s in shapes}
    selector_ms: dict[str, list[float]] = {s: [] for s in shapes}
    page_queries: list[int] = []
    client = Client()
    for n, user_id in enumerate(user_ids):
        profile = Profile.objects.select_related("user").get(user_id=user_id)
        slugs = list(
            MemberInterest.objects.filter(user_id=user_id).values_list(
                "interest__slug", "interest_id"
            )
        )
        rng.shuffle(slugs)
        shape = shapes[n % len(shapes)]
        chosen = [] if shape == "ranking" else slugs[: 1 if shape == "one interest" else 2]
        near = "region" if shape.endswith("near me") and profile.region_key else ""
        flt = DirectoryFilter(interest_ids=tuple(i for _, i in chosen), near=near)
        viewer = Viewer.for_user(profile.user)
        started = time.perf_counter()
        member_search(viewer=viewer, viewer_profile=profile, flt=flt)
        selector_ms[shape].append((time.perf_counter() - started) * 1000)
        client.force_login(profile.user)
        query = "&".join(f"i={slug}" for slug, _ in chosen) + (f"&near={near}" if near else "")
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(f"/people/?{query}")
            page_ms[shape].append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.status_code
        page_queries.append(len(queries))
    everything_page = [v for values in page_ms.values() for v in values]
    everything_selector = [v for values in selector_ms.values() for v in values]
    print(f"{'shape':<24}{'n':>5}{'page p50':>10}{'p99':>9}{'selector p50':>14}{'p99':>9}")
    for shape in shapes:
        pv, sv = page_ms[shape], selector_ms[shape]
        print(
            f"{shape:<24}{len(pv):>5}{statistics.median(pv):>10.1f}{percentile(pv, 99):>9.1f}"
            f"{statistics.median(sv):>14.1f}{percentile(sv, 99):>9.1f}"
        )
    print(
        f"{'all':<24}{len(everything_page):>5}{statistics.median(everything_page):>10.1f}"
        f"{percentile(everything_page, 99):>9.1f}{statistics.median(everything_selector):>14.1f}"
        f"{percentile(everything_selector, 99):>9.1f}"
    )
    print(f"queries per directory page: min {min(page_queries)}, max {max(page_queries)}")


if __name__ == "__main__":
    main()
