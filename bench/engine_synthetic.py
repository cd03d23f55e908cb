"""Speed, memory and recall of the matching engine on a synthetic community.

Data: ``n`` members; 100,000 interests whose popularity follows Zipf (exponent 0.75, interest
ids shuffled); each member draws Poisson(30) interests clipped to [3, 90] (draws with
replacement, duplicates merged); weights 1; seeded.

Measures, each in its own process so peak memory is per measurement:

* the engine: fit time, top-20 for every member, peak RSS, recall@20 against
  ``engine.scores()`` on a sample, and the online path (``update_member`` then
  ``top_k([member])``) latency percentiles;
* the baseline: ``sparse_dot_topn`` computing top-20 idf-cosine (the same weighting) with
  2 threads on the same matrix.

Usage::

    .venv/bin/python bench/engine_synthetic.py --members 100000
    .venv/bin/python bench/engine_synthetic.py --members 1000000 --no-baseline
    .venv/bin/python bench/engine_synthetic.py --members 300000 --passes 1  # the two passes
"""

from __future__ import annotations

import argparse
import json
import platform
import resource
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import scipy.sparse as sp

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from commonground_matching import MatchingEngine  # noqa: E402

N_INTERESTS = 100_000


def synthetic_interests(n_members: int, *, seed: int = 0) -> sp.csr_matrix:
    """The benchmark's members x interests matrix (see the module docstring)."""
    rng = np.random.default_rng(seed)
    popularity = np.arange(1, N_INTERESTS + 1, dtype=np.float64) ** -0.75
    cdf = np.cumsum(popularity)
    cdf /= cdf[-1]
    counts = np.clip(rng.poisson(30, n_members), 3, 90)
    rows = np.repeat(np.arange(n_members, dtype=np.int32), counts)
    ranks = np.searchsorted(cdf, rng.random(rows.size)).astype(np.int32)
    cols = rng.permutation(N_INTERESTS).astype(np.int32)[ranks]
    matrix = sp.csr_matrix(
        (np.ones(rows.size, np.float32), (rows, cols)), shape=(n_members, N_INTERESTS)
    )
    matrix.sum_duplicates()
    matrix.data[:] = 1.0
    return matrix


def peak_rss_gb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2


def run_engine(n_members: int, k: int, sample: int, updates: int, kernel: str) -> dict[str, float]:
    interests = synthetic_interests(n_members)
    rss_data = peak_rss_gb()
    started = time.perf_counter()
    engine = MatchingEngine(kernel=kernel).fit(interests)
    fit_s = time.perf_counter() - started
    started = time.perf_counter()
    result = engine.top_k(k=k)
    top_k_s = time.perf_counter() - started
    rss_batch = peak_rss_gb()
    # Again, warm: the first call also loads the compiled kernel from numba's cache.
    started = time.perf_counter()
    engine.top_k(k=k)
    top_k_warm_s = time.perf_counter() - started

    rng = np.random.default_rng(1)
    hits = total = 0
    for member in rng.choice(n_members, size=min(sample, n_members), replace=False):
        scores = engine.scores(int(member))
        order = np.lexsort((np.arange(n_members), -scores))[:k]
        expected = set(order[scores[order] > 0].tolist())
        hits += len(expected & set(result.ids[member].tolist()))
        total += len(expected)

    latencies = []
    for member in rng.choice(n_members, size=updates, replace=False):
        row = synthetic_interests(1, seed=int(member) + 7).toarray().ravel()
        started = time.perf_counter()
        engine.update_member(int(member), row)
        engine.top_k([int(member)], k=k)
        latencies.append(time.perf_counter() - started)
    latency = np.array(latencies) * 1000
    return {
        "members": n_members,
        "nnz": int(interests.nnz),
        "fit_s": fit_s,
        "top_k_s": top_k_s,
        "top_k_warm_s": top_k_warm_s,
        "peak_rss_gb_data_only": rss_data,
        "peak_rss_gb": rss_batch,
        "recall_at_k": hits / max(total, 1),
        "certified_share": float(result.certified.mean()),
        "exposure_gini": result.exposure_gini(n_members),
        "online_ms_p50": float(np.percentile(latency, 50)),
        "online_ms_p99": float(np.percentile(latency, 99)),
    }


def run_baseline(n_members: int, k: int) -> dict[str, float]:
    from sparse_dot_topn import sp_matmul_topn

    from commonground_matching.weighting import document_frequency, idf_normalize, idf_weights

    interests = synthetic_interests(n_members)
    weighted = idf_normalize(interests, idf_weights(document_frequency(interests), n_members))
    transposed = sp.csr_matrix(weighted.T)
    started = time.perf_counter()
    sp_matmul_topn(weighted, transposed, top_n=k + 1, n_threads=2)
    seconds = time.perf_counter() - started
    return {"members": n_members, "sparse_dot_topn_s": seconds, "peak_rss_gb": peak_rss_gb()}


def run_passes(n_members: int, k: int, repeat: int) -> dict[str, float]:
    """The compiled kernel alone over every member, both ways: the symmetric pass (each pair
    scored once) and one query at a time; best of ``repeat`` warm runs each."""
    from commonground_matching.batch import compiled_interest_lists
    from commonground_matching.components import forbidden_rows

    engine = MatchingEngine(kernel="numba").fit(synthetic_interests(n_members))
    state = engine.state_
    members = np.arange(n_members)
    forbidden = forbidden_rows(state, members)
    figures: dict[str, float] = {"members": n_members, "k": k}
    for name, symmetric in (("symmetric_s", True), ("per_query_s", False)):
        times = []
        for run in range(repeat + 1):  # the first run loads the compiled code
            started = time.perf_counter()
            compiled_interest_lists(state, members, forbidden, k=k, n_jobs=2, symmetric=symmetric)
            if run:
                times.append(time.perf_counter() - started)
        figures[name] = min(times)
    return figures


def in_subprocess(flag: str, args: argparse.Namespace) -> dict[str, float]:
    command = [
        sys.executable,
        __file__,
        flag,
        "--members",
        str(args.members),
        "--k",
        str(args.k),
        "--sample",
        str(args.sample),
        "--updates",
        str(args.updates),
        "--kernel",
        args.kernel,
    ]
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    return dict(json.loads(output.strip().splitlines()[-1]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--members", type=int, default=100_000)
    parser.add_argument("--k", type=int, default=20)
    parser.add_argument("--sample", type=int, default=200, help="members checked for recall")
    parser.add_argument("--updates", type=int, default=200, help="online updates timed")
    parser.add_argument(
        "--kernel", default="auto", choices=["auto", "numba", "sparse_dot_topn", "scipy"]
    )
    parser.add_argument("--no-baseline", action="store_true")
    parser.add_argument(
        "--passes",
        type=int,
        metavar="REPEAT",
        help="only time the compiled kernel's two passes (best of REPEAT warm runs each)",
    )
    parser.add_argument("--engine-only", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--baseline-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.engine_only:
        print(json.dumps(run_engine(args.members, args.k, args.sample, args.updates, args.kernel)))
        return
    if args.baseline_only:
        print(json.dumps(run_baseline(args.members, args.k)))
        return
    if args.passes:
        passes = run_passes(args.members, args.k, args.passes)
        print(
            f"kernel alone, {args.members:,} members, k={args.k}: "
            f"symmetric pass {passes['symmetric_s']:.3g} s, "
            f"one query at a time {passes['per_query_s']:.3g} s"
        )
        return
    print(
        f"machine: {platform.processor() or platform.machine()}, python {platform.python_version()}"
    )
    engine = in_subprocess("--engine-only", args)
    for key, value in engine.items():
        print(
            f"engine {key}: {value:.4g}" if isinstance(value, float) else f"engine {key}: {value}"
        )
    if not args.no_baseline:
        baseline = in_subprocess("--baseline-only", args)
        print(
            f"sparse_dot_topn top-{args.k} (2 threads): {baseline['sparse_dot_topn_s']:.3g} s, "
            f"peak RSS {baseline['peak_rss_gb']:.3g} GB"
        )
        print(
            f"speed-up (baseline / engine top_k): "
            f"{baseline['sparse_dot_topn_s'] / engine['top_k_s']:.2f}x"
        )


if __name__ == "__main__":
    main()
