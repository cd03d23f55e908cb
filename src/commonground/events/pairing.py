"""Speed-networking rounds: pure numpy, no Django.

Given an (n × n) symmetric matrix of rarity-weighted shared interest and a number of rounds R,
seat everyone at tables of two (plus exactly one table of three when n is odd) in each round,
so that no two people ever meet twice (inside a trio too), and the total shared weight over
the rounds is as high as a fast heuristic finds:

- each round is a maximum-weight perfect matching over the pairs not met yet, found greedily
  (heaviest pair first, seeded random tie-breaks) and then improved by 2-opt swaps
  ((a,b),(c,d) → (a,c),(b,d) or (a,d),(b,c)) until none helps;
- with an odd count a zero-weight placeholder joins the matching; whoever it partners joins
  the pair where they add the most, making the trio;
- when the rounds' leftovers admit no matching (only when R is close to its maximum), the
  attempt restarts with other tie-breaks, and last falls back to the round-robin "circle
  method", which is always valid for an even count.

The same matrix, rounds and seed give the same plan.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

FloatMatrix = npt.NDArray[np.float64]
BoolMatrix = npt.NDArray[np.bool_]
Table = tuple[int, ...]
Round = list[Table]

ATTEMPTS = 6
_EPS = 1e-9


class PairingError(ValueError):
    """The requested plan cannot be made (too few people, too many rounds)."""


@dataclass(frozen=True)
class Plan:
    rounds: list[Round]
    total_weight: float


def max_rounds(n: int) -> int:
    """The most rounds asked for: n - 1 for an even count (everyone meets one new person a
    round, and the circle method always finds them); for an odd count the trio spends two
    pairs a round, and beyond (n - 1) / 2 rounds plans get rare (none exists for 5 people and
    2 rounds), so more are refused."""
    if n < 2:
        return 0
    if n % 2 == 0:
        return n - 1
    return max(1, (n - 1) // 2)


def check_request(n: int, rounds: int) -> None:
    if n < 2:
        raise PairingError(f"Speed networking needs at least 2 people; there are {n}.")
    if rounds < 1:
        raise PairingError(f"Ask for at least 1 round; got {rounds}.")
    most = max_rounds(n)
    if rounds > most:
        raise PairingError(
            f"{rounds} rounds without anyone meeting twice is impossible with {n} people: "
            f"at most {most}."
        )


def _validated(weights: npt.ArrayLike) -> FloatMatrix:
    w = np.asarray(weights, dtype=np.float64)
    if w.ndim != 2 or w.shape[0] != w.shape[1]:
        raise PairingError(f"weights must be a square matrix; got shape {w.shape}.")
    if not np.all(np.isfinite(w)):
        raise PairingError("weights must be finite numbers.")
    if not np.allclose(w, w.T):
        raise PairingError("weights must be symmetric.")
    return w


def plan_rounds(weights: npt.ArrayLike, rounds: int, *, seed: int = 0) -> Plan:
    """The heuristic plan described in the module docstring."""
    w = _validated(weights)
    n = w.shape[0]
    check_request(n, rounds)
    root = np.random.default_rng(seed)
    # Small plans are cheap: try harder where tight round counts make attempts fail.
    attempts = ATTEMPTS * 5 if n <= 64 else ATTEMPTS
    for _ in range(attempts):
        rng = np.random.default_rng(root.integers(0, 2**63 - 1))
        found = _attempt(w, rounds, rng)
        if found is not None:
            return Plan(rounds=found, total_weight=plan_weight(w, found))
    fallback = _circle_plan(w, rounds, root)
    if fallback is None:
        raise PairingError(
            f"No plan of {rounds} rounds without repeats was found for {n} people; "
            "ask for fewer rounds."
        )
    return Plan(rounds=fallback, total_weight=plan_weight(w, fallback))


def random_plan(weights: npt.ArrayLike, rounds: int, *, seed: int = 0) -> Plan:
    """A valid plan that ignores the weights (the circle method on a random order): the
    baseline the benchmark compares against."""
    w = _validated(weights)
    check_request(w.shape[0], rounds)
    rng = np.random.default_rng(seed)
    for _ in range(ATTEMPTS * 4):
        found = _circle_plan(w, rounds, rng, use_weights=False)
        if found is not None:
            return Plan(rounds=found, total_weight=plan_weight(w, found))
    raise PairingError("No random plan was found; ask for fewer rounds.")


def plan_weight(weights: npt.ArrayLike, rounds: list[Round]) -> float:
    w = np.asarray(weights, dtype=np.float64)
    total = 0.0
    for tables in rounds:
        for table in tables:
            for i, a in enumerate(table):
                for b in table[i + 1 :]:
                    total += float(w[a, b])
    return total


def plan_problems(n: int, rounds: list[Round]) -> list[str]:
    """Why a plan is invalid (empty when valid): everyone seated once per round, tables of two
    and exactly one of three when n is odd, no pair twice."""
    problems: list[str] = []
    met: set[tuple[int, int]] = set()
    for number, tables in enumerate(rounds, start=1):
        seated = sorted(p for table in tables for p in table)
        if seated != list(range(n)):
            problems.append(f"round {number}: not everyone seated exactly once")
        trios = sum(1 for t in tables if len(t) == 3)
        if any(len(t) not in (2, 3) for t in tables) or trios != n % 2:
            problems.append(f"round {number}: wrong table sizes")
        for table in tables:
            for i, a in enumerate(table):
                for b in table[i + 1 :]:
                    key = (min(a, b), max(a, b))
                    if key in met:
                        problems.append(f"round {number}: {key} meet again")
                    met.add(key)
    return problems


def _attempt(w: FloatMatrix, rounds: int, rng: np.random.Generator) -> list[Round] | None:
    n = w.shape[0]
    odd = n % 2 == 1
    size = n + 1 if odd else n
    work = np.zeros((size, size))
    work[:n, :n] = w
    met = np.eye(size, dtype=bool)
    plan: list[Round] = []
    for _ in range(rounds):
        allowed = ~met
        pairs = _greedy_matching(work, allowed, rng)
        if pairs is None:
            return None
        pairs = _two_opt(work, allowed, pairs)
        tables = _with_trio(work, met, pairs, n) if odd else [tuple(p) for p in pairs]
        if tables is None:
            return None
        for table in tables:
            for a in table:
                for b in table:
                    met[a, b] = True
        plan.append(_ordered(tables))
    return plan


def _ordered(tables: list[Table]) -> Round:
    return sorted((tuple(sorted(t)) for t in tables), key=lambda t: t[0])


def _greedy_matching(
    w: FloatMatrix, allowed: BoolMatrix, rng: np.random.Generator
) -> list[tuple[int, int]] | None:
    size = w.shape[0]
    rows, cols = np.nonzero(np.triu(allowed, k=1))
    weights = w[rows, cols]
    order = np.lexsort((rng.random(len(rows)), -weights))
    free = np.ones(size, dtype=bool)
    pairs: list[tuple[int, int]] = []
    left = size
    for a, b in zip(rows[order].tolist(), cols[order].tolist(), strict=True):
        if free[a] and free[b]:
            free[a] = free[b] = False
            pairs.append((a, b))
            left -= 2
            if left == 0:
                break
    unmatched = np.flatnonzero(free).tolist()
    return _repair(allowed, pairs, unmatched)


def _repair(
    allowed: BoolMatrix, pairs: list[tuple[int, int]], unmatched: list[int]
) -> list[tuple[int, int]] | None:
    """Seat the people the greedy pass left over, all of whom have met each other, by
    breaking a pair (a,b) into (u,a),(v,b)."""
    while unmatched:
        u = unmatched.pop()
        direct = [v for v in unmatched if allowed[u, v]]
        if direct:
            unmatched.remove(direct[0])
            pairs.append((u, direct[0]))
            continue
        placed = False
        heads = np.array([p[0] for p in pairs], dtype=np.intp)
        tails = np.array([p[1] for p in pairs], dtype=np.intp)
        for v in unmatched:
            straight = allowed[u, heads] & allowed[v, tails]
            crossed = allowed[u, tails] & allowed[v, heads]
            hits = np.flatnonzero(straight | crossed)
            if len(hits) == 0:
                continue
            k = int(hits[0])
            a, b = pairs[k]
            pairs[k] = (u, a) if straight[k] else (u, b)
            pairs.append((v, b) if straight[k] else (v, a))
            unmatched.remove(v)
            placed = True
            break
        if not placed:
            return None
    return pairs


def _two_opt(
    w: FloatMatrix, allowed: BoolMatrix, pairs: list[tuple[int, int]]
) -> list[tuple[int, int]]:
    """Swap partners between two pairs while that raises the round's weight.

    A swap changes only its two pairs, so each pass applies the best improving swaps on
    disjoint pairs at once (best first): the same local optimum's kind in far fewer passes."""
    if len(pairs) < 2:
        return pairs
    a = np.array([p[0] for p in pairs], dtype=np.intp)
    b = np.array([p[1] for p in pairs], dtype=np.intp)
    m = len(pairs)
    upper = np.triu(np.ones((m, m), dtype=bool), k=1)
    for _ in range(4 * m):
        current = w[a, b]
        base = current[:, None] + current[None, :]
        # (a_i, a_j) + (b_i, b_j)
        gain_x = w[a[:, None], a[None, :]] + w[b[:, None], b[None, :]] - base
        ok_x = allowed[a[:, None], a[None, :]] & allowed[b[:, None], b[None, :]] & upper
        # (a_i, b_j) + (b_i, a_j)
        gain_y = w[a[:, None], b[None, :]] + w[b[:, None], a[None, :]] - base
        ok_y = allowed[a[:, None], b[None, :]] & allowed[b[:, None], a[None, :]] & upper
        gain_x = np.where(ok_x, gain_x, -np.inf)
        gain_y = np.where(ok_y, gain_y, -np.inf)
        crossed = gain_y > gain_x
        gain = np.where(crossed, gain_y, gain_x)
        flat = np.flatnonzero(gain > _EPS)
        if len(flat) == 0:
            break
        if len(flat) > m:
            flat = flat[np.argpartition(-gain.flat[flat], m)[:m]]
        order = flat[np.lexsort((flat, -gain.flat[flat]))]
        used = np.zeros(m, dtype=bool)
        for cell in order.tolist():
            i, j = divmod(cell, m)
            if used[i] or used[j]:
                continue
            used[i] = used[j] = True
            if crossed[i, j]:
                a[i], a[j], b[i], b[j] = a[i], a[j], b[j], b[i]
            else:
                a[i], a[j], b[i], b[j] = a[i], b[i], a[j], b[j]
    return list(zip(a.tolist(), b.tolist(), strict=True))


def _with_trio(
    w: FloatMatrix, met: BoolMatrix, pairs: list[tuple[int, int]], n: int
) -> list[Table] | None:
    """The placeholder (index n) has a partner x: seat x with the pair it adds most to."""
    x = next(p[0] if p[1] == n else p[1] for p in pairs if n in p)
    rest = [p for p in pairs if n not in p]
    best: tuple[float, int] | None = None
    for k, (a, b) in enumerate(rest):
        if met[x, a] or met[x, b]:
            continue
        gain = float(w[x, a] + w[x, b])
        if best is None or gain > best[0] + _EPS:
            best = (gain, k)
    if best is None:
        return None
    k = best[1]
    tables: list[Table] = [tuple(p) for i, p in enumerate(rest) if i != k]
    tables.append((*rest[k], x))
    return tables


def _circle_plan(
    w: FloatMatrix, rounds: int, rng: np.random.Generator, *, use_weights: bool = True
) -> list[Round] | None:
    """The round-robin circle method on a random order: never repeats a pair for an even
    count; for an odd count a placeholder's partner joins a pair, which may fail."""
    n = w.shape[0]
    odd = n % 2 == 1
    size = n + 1 if odd else n
    order = rng.permutation(size).tolist()
    fixed, ring = order[0], order[1:]
    met = np.eye(size, dtype=bool)
    work = np.zeros((size, size))
    work[:n, :n] = w if use_weights else 0.0
    plan: list[Round] = []
    for r in range(rounds):
        turned = ring[r:] + ring[:r]
        pairs = [(fixed, turned[0])]
        pairs += [(turned[1 + k], turned[-1 - k]) for k in range((size - 2) // 2)]
        if odd:
            if not use_weights:
                shuffled = [pairs[i] for i in rng.permutation(len(pairs)).tolist()]
                pairs = shuffled
            if any(met[a, b] for a, b in pairs):
                return None
            tables = _with_trio(work, met, pairs, n)
            if tables is None:
                return None
        else:
            tables = [tuple(p) for p in pairs]
        for table in tables:
            for a in table:
                for b in table:
                    met[a, b] = True
        plan.append(_ordered(tables))
    return plan
