"""Speed-networking plans: how much rare shared interest they seat together, and how fast.

Data: a synthetic community of ``n`` attendees drawn like a real meetup crowd: 400 interests
whose popularity follows Zipf (exponent 0.9); 8 "scenes" (say hockey, baking, astronomy…),
each attendee belonging to one or two, drawing 60% of their 5–15 interests from their scenes'
40 interests and the rest from the whole taxonomy by popularity; seeded. The weight of a pair
is the sum over shared interests of log(1 + N / df), the product's rarity weight.

Reports, for each size:

* the plan's total weight (``plan_rounds``) against a random valid plan (the circle method on a
  random order, ``random_plan``), as the mean over seeds, and their ratio;
* an upper bound no plan can beat: each attendee meets at most their R best partners, so the
  total is at most half the sum, over attendees, of their R largest weights (even counts);
* the time to plan.

Usage::

    .venv/bin/python bench/speed_networking.py
    .venv/bin/python bench/speed_networking.py --sizes 60x6 500x8 1000x10 --seeds 5
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from commonground.events.pairing import plan_problems, plan_rounds, random_plan

INTERESTS = 400
SCENES = 8
SCENE_SIZE = 40


def community(n: int, seed: int) -> np.ndarray:
    """An (n × n) rarity-weighted shared-interest matrix."""
    rng = np.random.default_rng(seed)
    popularity = 1.0 / np.arange(1, INTERESTS + 1) ** 0.9
    popularity /= popularity.sum()
    scenes = [rng.choice(INTERESTS, size=SCENE_SIZE, replace=False) for _ in range(SCENES)]
    holds = np.zeros((n, INTERESTS), dtype=bool)
    for i in range(n):
        mine = rng.choice(SCENES, size=rng.integers(1, 3), replace=False)
        pool = np.concatenate([scenes[s] for s in mine])
        count = int(rng.integers(5, 16))
        local = round(count * 0.6)
        holds[i, rng.choice(pool, size=min(local, len(pool)), replace=False)] = True
        holds[i, rng.choice(INTERESTS, size=count - local, replace=False, p=popularity)] = True
    df = holds.sum(axis=0)
    weight = np.log1p(n / np.maximum(df, 1))
    matrix = (holds * weight) @ holds.T.astype(float)
    np.fill_diagonal(matrix, 0.0)
    return matrix


def upper_bound(w: np.ndarray, rounds: int) -> float:
    top = -np.sort(-w, axis=1)[:, :rounds]
    return float(top.sum() / 2)


def run(n: int, rounds: int, seeds: int) -> None:
    planned, baseline, bounds, times = [], [], [], []
    for seed in range(seeds):
        w = community(n, seed)
        started = time.perf_counter()
        plan = plan_rounds(w, rounds, seed=seed)
        times.append(time.perf_counter() - started)
        assert plan_problems(n, plan.rounds) == [], "invalid plan"
        planned.append(plan.total_weight)
        baseline.append(random_plan(w, rounds, seed=seed).total_weight)
        bounds.append(upper_bound(w, rounds))
    mean_plan, mean_random = statistics.mean(planned), statistics.mean(baseline)
    bound_text = (
        f"{statistics.mean(bounds):9.1f}  {mean_plan / statistics.mean(bounds):6.1%}"
        if n % 2 == 0
        else f"{'—':>9}  {'—':>6}"
    )
    print(
        f"{n:5d} × {rounds:<3d} {mean_plan:10.1f} {mean_random:10.1f} "
        f"{mean_plan / mean_random:6.2f}×  {bound_text}  "
        f"{statistics.median(times):7.3f} s  {max(times):7.3f} s"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", nargs="+", default=["60x6", "61x6", "500x8", "1000x10"])
    parser.add_argument("--seeds", type=int, default=5)
    args = parser.parse_args()
    print(
        f"{platform.processor() or platform.machine()} · {os.cpu_count()} CPUs · "
        f"Python {platform.python_version()} · numpy {np.__version__} · seeds {args.seeds}"
    )
    print("    n × R     plan w   random w  ratio   bound w  of bound  median t    max t")
    for size in args.sizes:
        n, rounds = (int(x) for x in size.lower().split("x"))
        run(n, rounds, args.seeds)


if __name__ == "__main__":
    main()
