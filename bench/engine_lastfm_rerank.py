"""A learned re-ranker for friend recommendation on HetRec Last.fm 2K: a research prototype.

Not the engine: dense n x n numpy (fine for ~2,000 members), the study that chose the
model. ``commonground_matching/rerank.py`` is its built-in version (``rerank="auto"``, the
engine's default; the differences are in ``docs/benchmarks-engine.md``).

1. **Candidates**: each user's top 100 by the engine's default score, rewritten densely here
   (the script checks it against the engine: same Recall@10).
2. **Features** of (user u, candidate c), 23: the engine's parts, raw and divided by u's
   best; friend-only walks, Katz, friends of similar members; u's score against its 10th
   best; the *candidate's view of u* (c's score of u, c's walk to u, u against c's 10th best
   score, 50th best walk and cosine); the candidate's degree and number of artists.
3. **Self-supervised training on the graph it is given** (no labels beyond it): three times,
   hold out 20% of the edges (seeds 12345, 12346, 12347); on the sparser graph, candidates and
   features as above, label 1 where the pair was held out; an L2 logistic regression
   (lambda 1, standardised columns, intercept unpenalised) by Newton's method.
4. **Ranking**: on the whole graph, each user's 100 candidates by the model's logit.

Usage::

    .venv/bin/python bench/engine_lastfm_rerank.py --cv   # inner folds only: choose here
    .venv/bin/python bench/engine_lastfm_rerank.py        # the protocol's test split (report)

``--cv`` drops the protocol's test pairs first, then holds out 20% of the training friendships
with seeds 1, 2, 3 (the folds of ``engine_lastfm.py --cv``) and 4, 5 (never used to choose).
``--extra-views`` adds the artists each user tagged and their tagging months and days.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from commonground_matching import MatchingEngine
from commonground_matching.rerank import logistic_regression
from engine_lastfm import (
    K,
    LastFm,
    _read,
    graph_of,
    inner_folds,
    list_figures,
    load,
    protocol_users,
    split,
)

Array = npt.NDArray[np.float64]
CANDIDATES = 100
SIMILAR = 50


def idf_cosine(matrix: sp.spmatrix) -> Array:
    """The engine's idf cosine: idf = log((1 + n) / (1 + df)), unit rows, self 0."""
    m = sp.csr_matrix(matrix, dtype=np.float64, copy=True)
    n = m.shape[0]
    df = np.bincount(m.indices, minlength=m.shape[1])
    x = m @ sp.diags(np.log((1.0 + n) / (1.0 + df)))
    norms = np.sqrt(np.asarray(x.multiply(x).sum(axis=1)).ravel())
    x = sp.diags(np.divide(1.0, norms, out=np.zeros_like(norms), where=norms > 0)) @ x
    cosine: Array = (x @ x.T).toarray()
    np.fill_diagonal(cosine, 0.0)
    return cosine


def shared_count(matrix: sp.spmatrix) -> Array:
    binary = sp.csr_matrix(matrix, dtype=np.float64, copy=True)
    binary.data[:] = 1.0
    count: Array = (binary @ binary.T).toarray()
    np.fill_diagonal(count, 0.0)
    return count


def top_similar(cosine: Array, k: int = SIMILAR) -> Array:
    """Each row's k largest values (ties to the lower id), the rest 0."""
    n = cosine.shape[0]
    top = np.argsort(-cosine, axis=1, kind="stable")[:, :k]
    rows = np.repeat(np.arange(n), k)
    kept = np.zeros_like(cosine)
    values = cosine[rows, top.ravel()]
    kept[rows, top.ravel()] = np.where(values > 0, values, 0.0)
    return kept


def _best_scale(matrix: Array, empty: float) -> Array:
    best = matrix.max(axis=1)
    return np.divide(1.0, best, out=np.full_like(best, empty), where=best > 0)


class Views:
    """Everything that does not depend on the graph."""

    def __init__(self, artists: sp.spmatrix, tags: sp.spmatrix, extra: dict[str, Any]) -> None:
        self.cos_art = idf_cosine(artists)
        self.cos_tag = idf_cosine(tags)
        self.shared_art = shared_count(artists)
        self.n_art = np.diff(sp.csr_matrix(artists).indptr).astype(np.float64)
        self.similar = top_similar(self.cos_art)
        self.similar_tag = top_similar(self.cos_tag)
        self.cos_scale = _best_scale(self.cos_art, 1.0)
        self.tag_scale = _best_scale(self.cos_tag, 0.0)
        self.extra: dict[str, Array] = {}
        if extra:
            self.extra["cos_tagart"] = idf_cosine(extra["tagged"])
            self.similar_ta = top_similar(self.extra["cos_tagart"])
            self.extra["cos_month"] = idf_cosine(extra["months"])
            self.similar_mon = top_similar(self.extra["cos_month"])
            self.extra["shared_days"] = shared_count(extra["days"])


def _row_max_normalized(matrix: Array) -> Array:
    return matrix * _best_scale(matrix, 0.0)[:, None]


def _kth(matrix: Array, forbid: npt.NDArray[np.bool_], ks: tuple[int, ...] = (10, 50)) -> dict:
    masked = np.where(forbid, -np.inf, matrix)
    part = -np.partition(-masked, [k - 1 for k in ks], axis=1)
    return {k: np.maximum(part[:, k - 1], 0.0) for k in ks}


def graph_parts(views: Views, adjacency: Array) -> dict[str, Any]:
    """The engine's default parts and score, and the extra graph features, densely."""
    a = adjacency
    degree = a.sum(axis=1)
    inverse_degree = np.divide(1.0, degree, out=np.zeros_like(degree), where=degree > 0)
    hub = np.where(degree >= 2, 1.0 / np.log(np.maximum(degree, 2.0)), 0.0)
    adamic_adar = (a * hub[None, :]) @ a
    steps = a + 0.25 * np.maximum(views.similar, views.similar.T)  # the engine's walk graph
    out_weight = steps.sum(axis=1)
    w = (
        steps
        * np.divide(1.0, out_weight, out=np.zeros_like(out_weight), where=out_weight > 0)[:, None]
    )
    w2 = w @ w
    walk = 0.7 * w + 0.49 * w2 + 0.343 * (w2 @ w)
    p = a * inverse_degree[:, None]  # a walk over friends only
    p2 = p @ p
    a2 = a @ a
    parts: dict[str, Any] = {
        "deg": degree,
        "walk": walk,
        "p2": p2,
        "p3": p2 @ p,
        "simp": views.similar @ a,
        "katz": a + 0.05 * a2 + 0.0025 * (a2 @ a),
        "simp_tag": views.similar_tag @ a,
        "aa_n": _row_max_normalized(adamic_adar),
        "walk_n": _row_max_normalized(walk),
        "cos_n": views.cos_art * views.cos_scale[:, None],
        "tag_n": views.cos_tag * views.tag_scale[:, None],
    }
    parts["sim_n"] = _row_max_normalized(parts["simp"])
    # MatchingEngine() defaults with tags: interest 1, network 1, walk 4, similar 2, tags 1.
    parts["score"] = (
        parts["cos_n"] + parts["aa_n"] + 4 * parts["walk_n"] + 2 * parts["sim_n"] + parts["tag_n"]
    )
    if views.extra:
        parts["simp_ta"] = views.similar_ta @ a
        parts["simp_mon"] = views.similar_mon @ a
    forbid = a > 0
    np.fill_diagonal(forbid, True)
    parts["forbid"] = forbid
    for name, matrix in (("cos", views.cos_art), ("walk", walk), ("score", parts["score"])):
        parts["kth_" + name] = _kth(matrix, forbid)
        positive = matrix[matrix > 0]
        parts["eps_" + name] = 0.01 * float(np.median(positive)) if positive.size else 1e-9
        parts["m_" + name] = matrix
    return parts


LINEAR, LOG = "linear", "log"  # LOG: log1p(value / median of the positive training values)
FEATURES = [
    # forward: u's view of c
    ("cos_art", LINEAR),
    ("cos_n", LINEAR),
    ("cos_tag", LINEAR),
    ("tag_n", LINEAR),
    ("walk", LOG),
    ("walk_n", LINEAR),
    ("simp", LOG),
    ("sim_n", LINEAR),
    ("p2", LOG),
    ("p3", LOG),
    ("katz", LOG),
    ("score", LOG),
    ("shared_art", LINEAR),
    ("aa_n", LINEAR),
    ("simp_tag", LOG),
    ("kr10_score", LINEAR),
    # reverse: c's view of u
    ("score_rev", LOG),
    ("walk_n_rev", LINEAR),
    ("kr10_score_rev", LINEAR),
    ("kr50_walk_rev", LINEAR),
    ("kr50_cos_rev", LINEAR),
    # the candidate
    ("ldeg_c", LINEAR),
    ("lnart_c", LINEAR),
]
EXTRA_FEATURES = [
    ("cos_tagart", LINEAR),
    ("simp_ta", LOG),
    ("cos_month", LINEAR),
    ("simp_mon", LOG),
    ("shared_days", LINEAR),
]


def candidates(parts: dict[str, Any], users: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    score = np.where(parts["forbid"][users], -np.inf, parts["score"][users])
    return np.argsort(-score, axis=1, kind="stable")[:, :CANDIDATES]


def raw_features(
    views: Views, parts: dict[str, Any], users: npt.NDArray[np.int64], cands: Any, names: list
) -> dict[str, Array]:
    u = np.repeat(users[:, None], cands.shape[1], axis=1)
    c = cands
    out: dict[str, Array] = {}
    for name in names:
        if name in ("cos_art", "cos_tag"):
            out[name] = getattr(views, name)[u, c]
        elif name == "shared_art":
            out[name] = np.log1p(views.shared_art[u, c])
        elif name in views.extra:
            value = views.extra[name][u, c]
            out[name] = np.log1p(value) if name == "shared_days" else value
        elif name == "ldeg_c":
            out[name] = np.log1p(parts["deg"][c])
        elif name == "lnart_c":
            out[name] = np.log1p(views.n_art[c])
        elif name.startswith("kr"):  # log(value / the k-th best of its row), u's row or c's
            reverse = name.endswith("_rev")
            k = int(name[2:4])
            base = name[5:-4] if reverse else name[5:]
            matrix, kth, eps = parts["m_" + base], parts["kth_" + base][k], parts["eps_" + base]
            a, b = (c, u) if reverse else (u, c)
            out[name] = np.log((matrix[a, b] + eps) / (kth[a] + eps))
        elif name.endswith("_rev"):
            out[name] = parts[name[:-4]][c, u]
        else:
            out[name] = parts[name][u, c]
    return out


def design(
    raw: dict[str, Array], features: list, medians: dict[str, float] | None = None
) -> tuple[Array, dict[str, float]]:
    learn = medians is None
    medians = {} if medians is None else medians
    columns = []
    for name, kind in features:
        x = raw[name].reshape(-1)
        if kind == LOG:
            if learn:
                positive = x[x > 0]
                medians[name] = float(np.median(positive)) if positive.size else 1.0
            x = np.log1p(x / medians[name])
        columns.append(x)
    return np.stack(columns, axis=1), medians


def adjacency_of(graph: sp.spmatrix) -> Array:
    a = sp.csr_matrix(graph).toarray()
    a = ((a + a.T) > 0).astype(np.float64)
    np.fill_diagonal(a, 0.0)
    return a


def fit_model(views: Views, a: Array, features: list, resamples: int = 3) -> dict[str, Any]:
    """Self-supervised: labels are edges of the graph itself, held out of a sparser copy."""
    iu, ju = np.nonzero(np.triu(a, 1))
    names = [name for name, _ in features]
    raws, labels = [], []
    for r in range(resamples):
        held = np.random.default_rng(12345 + r).random(iu.size) < 0.2
        sparser = a.copy()
        sparser[iu[held], ju[held]] = sparser[ju[held], iu[held]] = 0.0
        label = np.zeros_like(a, dtype=bool)
        label[iu[held], ju[held]] = label[ju[held], iu[held]] = True
        users = np.flatnonzero(label.any(axis=1))
        parts = graph_parts(views, sparser)
        cands = candidates(parts, users)
        raws.append(raw_features(views, parts, users, cands, names))
        labels.append(label[users[:, None], cands].reshape(-1))
    raw = {name: np.concatenate([r[name].reshape(-1) for r in raws]) for name in names}
    x, medians = design(raw, features)
    intercept, coefficients = logistic_regression(x, np.concatenate(labels).astype(np.float64))
    return {"features": features, "medians": medians, "coef": coefficients, "b": intercept}


def recommend(
    data: LastFm, graph: sp.spmatrix, users: npt.NDArray[np.int64], extra: dict[str, Any]
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """(re-ranked top 10, the default score's top 10) for each of ``users``."""
    views = Views(data.artists, data.tags, extra)
    features = FEATURES + (EXTRA_FEATURES if extra else [])
    a = adjacency_of(graph)
    model = fit_model(views, a, features)
    parts = graph_parts(views, a)
    cands = candidates(parts, users)
    raw = raw_features(views, parts, users, cands, [name for name, _ in features])
    x, _ = design(raw, features, model["medians"])
    logit = (x @ model["coef"] + model["b"]).reshape(cands.shape)
    order = np.argsort(-logit, axis=1, kind="stable")[:, :K]
    return np.take_along_axis(cands, order, axis=1), cands[:, :K]


def extra_views(data: LastFm) -> dict[str, Any]:
    """The artists each user tagged, and the months and days they tagged in."""
    friends, plays = _read("user_friends.dat"), _read("user_artists.dat")
    tagged_rows = _read("user_taggedartists.dat")
    ids = np.unique(np.concatenate([friends[:, 0], friends[:, 1], plays[:, 0], tagged_rows[:, 0]]))
    user = np.searchsorted(ids, tagged_rows[:, 0])
    n = data.n_users

    def view(rows: Any, keys: Any, binary: bool) -> sp.csr_matrix:
        _, column = np.unique(keys, return_inverse=True)
        matrix = sp.csr_matrix((np.ones(rows.size), (rows, column)), shape=(n, column.max() + 1))
        matrix.sum_duplicates()
        matrix.data = np.ones_like(matrix.data) if binary else np.log1p(matrix.data)
        return matrix

    year, month, day = tagged_rows[:, 5], tagged_rows[:, 4], tagged_rows[:, 3]
    ok = (year >= 2000) & (year <= 2012)  # a few rows carry impossible years
    return {
        "tagged": view(user, tagged_rows[:, 1], binary=False),
        "months": view(user[ok], year[ok] * 12 + month[ok], binary=False),
        "days": view(user[ok], (year[ok] * 12 + month[ok]) * 31 + day[ok], binary=True),
    }


def run(data: LastFm, fit_pairs: Any, held_pairs: Any, extra: dict[str, Any]) -> dict[str, float]:
    users, held, degree = protocol_users(fit_pairs, held_pairs, data.n_users)
    graph = graph_of(fit_pairs, data.n_users)
    started = time.perf_counter()
    reranked, default = recommend(data, graph, users, extra)
    seconds = time.perf_counter() - started
    score_only = MatchingEngine(rerank=False).fit(data.artists, graph, tags=data.tags)
    engine = score_only.top_k(users, k=K).ids  # the score the dense copy must reproduce
    figures = list_figures(reranked, users, held, degree)
    default_figures = list_figures(default, users, held, degree)
    return {
        "recall": figures["recall"],
        "ndcg": figures["ndcg"],
        "cold": figures["cold_recall"],
        "default_recall": default_figures["recall"],
        "default_cold": default_figures["cold_recall"],
        "engine_recall": list_figures(engine, users, held, degree)["recall"],
        "seconds": seconds,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cv", action="store_true", help="inner folds of the training graph")
    parser.add_argument("--extra-views", action="store_true", help="tagged artists and dates")
    args = parser.parse_args()
    data = load()
    extra = extra_views(data) if args.extra_views else {}
    train, test = split(data.pairs, seed=0)
    if not args.cv:
        f = run(data, train, test, extra)
        print(
            f"test split: Recall@10 {f['recall']:.3f}  NDCG@10 {f['ndcg']:.3f}  "
            f"cold-start Recall@10 {f['cold']:.3f}  (engine, rerank=False: {f['engine_recall']:.3f}; "
            f"{f['seconds']:.1f} s)"
        )
        return
    rows = []
    for seed, fit_pairs, held_pairs in inner_folds(train):  # test pairs never looked at
        f = run(data, fit_pairs, held_pairs, extra)
        rows.append(f)
        print(
            f"fold seed {seed}: re-ranked {f['recall']:.4f} / cold {f['cold']:.4f}  "
            f"(dense default score {f['default_recall']:.4f} / cold {f['default_cold']:.4f}, "
            f"engine rerank=False {f['engine_recall']:.4f}; "
            f"{f['seconds']:.1f} s)",
            flush=True,
        )
    for name, chosen in (("seeds 1-3", rows[:3]), ("seeds 4-5", rows[3:])):
        mean = {key: float(np.mean([r[key] for r in chosen])) for key in chosen[0]}
        print(
            f"{name}: re-ranked Recall@10 {mean['recall']:.4f}  cold-start {mean['cold']:.4f}  "
            f"(default score {mean['default_recall']:.4f} / {mean['default_cold']:.4f})"
        )


if __name__ == "__main__":
    main()
