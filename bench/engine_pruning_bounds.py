"""How much work pruning could save on the synthetic benchmark: an oracle study, not a timing.

For 300 sampled members of the community of ``bench/engine_synthetic.py`` it computes the
exact top-20 idf-cosine threshold, then counts the posting entries that must still be visited:

* ``maxscore``: MaxScore with the true threshold (an oracle) and the bound of what the more
  popular interests can add taken with the smallest member norm of the community (B=1) or of
  each of B buckets of members sorted by norm (a block-max-style bound);
* ``candidates``: the rarest interests' lists up to a budget of posting entries, the best C
  candidates by partial score rescored exactly (~30 operations each); reports recall@20.

Usage::

    .venv/bin/python bench/engine_pruning_bounds.py --members 100000
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
import scipy.sparse as sp

sys.path.insert(0, str(Path(__file__).resolve().parent))
from engine_synthetic import synthetic_interests

K = 20


def _prepare(n: int) -> tuple[sp.csr_matrix, sp.csr_matrix, np.ndarray, np.ndarray, np.ndarray]:
    interests = synthetic_interests(n).tocsr()
    df = np.asarray((interests > 0).sum(axis=0)).ravel()
    idf = np.log(n / np.maximum(df, 1))
    weighted = interests.multiply(idf).tocsr()
    norms = np.sqrt(np.asarray(weighted.multiply(weighted).sum(axis=1)).ravel())
    normalized = (sp.diags(1 / norms) @ weighted).tocsr()
    return interests, normalized, df, idf, norms


def maxscore_work(n: int, queries: np.ndarray) -> None:
    interests, normalized, df, idf, norms = _prepare(n)
    transposed = normalized.T.tocsr()
    coo = interests.tocoo()
    for buckets in (1, 4, 16, 64):
        bucket = np.empty(n, dtype=np.int64)
        bucket[np.argsort(norms)] = np.arange(n) * buckets // n
        smallest = np.array([norms[bucket == b].min() for b in range(buckets)])
        df_in_bucket = np.zeros((interests.shape[1], buckets))
        np.add.at(df_in_bucket, (coo.col, bucket[coo.row]), 1)
        full = essential = 0.0
        for q in queries:
            scores = (normalized[q] @ transposed).toarray().ravel()
            scores[q] = -1
            threshold = np.sort(scores)[-K]
            cols = interests[q].indices
            order = np.argsort(-idf[cols])
            cols, weights = cols[order], idf[cols][order]
            full += df[cols].sum()
            for b in range(buckets):
                bound = weights**2 / (norms[q] * smallest[b])
                suffix = np.cumsum(bound[::-1])[::-1]
                needed = np.nonzero(suffix >= threshold)[0]
                count = needed[-1] + 1 if needed.size else 0
                essential += df_in_bucket[cols[:count], b].sum()
        print(
            f"maxscore B={buckets}: full {full / len(queries):,.0f} entries/member, "
            f"essential {essential / len(queries):,.0f}, ratio {full / essential:.1f}x",
            flush=True,
        )


def candidate_recall(n: int, queries: np.ndarray) -> None:
    _, normalized, df, _, _ = _prepare(n)
    transposed = normalized.T.tocsr()
    by_column = normalized.tocsc()
    for budget in (2000, 4000, 8000):
        for best in (50, 200, 1000):
            hits = work = 0.0
            for q in queries:
                scores = (normalized[q] @ transposed).toarray().ravel()
                scores[q] = -np.inf
                truth = set(np.nonzero(scores >= np.sort(scores)[-K])[0])
                row = normalized[q]
                order = np.argsort(-row.data)
                cols, values = row.indices[order], row.data[order]
                used = max(1, int(np.searchsorted(np.cumsum(df[cols]), budget, side="right")))
                partial = np.zeros(n)
                for col, value in zip(cols[:used], values[:used], strict=True):
                    start, end = by_column.indptr[col], by_column.indptr[col + 1]
                    partial[by_column.indices[start:end]] += value * by_column.data[start:end]
                partial[q] = 0
                found = np.nonzero(partial)[0]
                if found.size > best:
                    found = found[np.argpartition(-partial[found], best)[:best]]
                top = found[np.argsort(-scores[found])[:K]]
                hits += len(set(top) & truth) / K
                work += df[cols[:used]].sum() + found.size * 30
            print(
                f"candidates budget={budget} C={best}: recall@20 {hits / len(queries):.4f}, "
                f"work {work / len(queries):,.0f}/member",
                flush=True,
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=100_000)
    parser.add_argument("--sample", type=int, default=300)
    args = parser.parse_args()
    queries = np.random.default_rng(1).choice(args.members, args.sample, replace=False)
    maxscore_work(args.members, queries)
    candidate_recall(args.members, queries)


if __name__ == "__main__":
    main()
