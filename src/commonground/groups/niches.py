"""Unmet niches: combinations of 2–3 interests that at least N members of a place share and
no group covers ("46 people in your region love both kittens and bacon: start the group").

Mined over the whole community in the background, apriori-style, per place: each region
(country + region), each country (for national groups) and everywhere (for virtual ones).
Only interests held by ≥ N members of the place are counted; pairs are counted from the
member × interest matrix (Xᵀ X, sparse); triples only extend frequent pairs whose three
sub-pairs are all frequent.

Who counts: listed members whose interests any member may see (so no combination reveals
what someone hid). What covers a combination: a group that is not secret (a secret group
must not be inferable from a suggestion that vanished), whose place reaches the whole place
mined (a virtual group everywhere; a national group its country and that country's regions;
a regional or local group its region), and whose interests — two or more — are all in the
combination. A one-interest group does not cover a pair: a kittens group is not a group for
people who love kittens *and* bacon. A kittens-and-bacon group covers {kittens, bacon} and
{kittens, bacon, tea}.
"""

from __future__ import annotations

import itertools
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from django.db import transaction
from django.db.models import Case, IntegerField, Q, Value, When
from django.utils import timezone
from scipy import sparse

from commonground.core.visibility import Visibility
from commonground.groups.models import (
    Group,
    GroupScope,
    GroupVisibility,
    NicheLevel,
    UnmetNiche,
)
from commonground.interests.models import Interest, MemberInterest
from commonground.profiles.models import Profile
from commonground.profiles.selectors import Viewer, q_listed

DEFAULT_MIN_MEMBERS = 10
# Kept per place and size, best lift first: what a member can be shown, not every
# combination two popular interests make.
KEEP_PER_PLACE = 200

Place = tuple[str, str, str]  # (level, country key, region key)
REGION: str = NicheLevel.REGION.value
COUNTRY: str = NicheLevel.COUNTRY.value
EVERYWHERE: str = NicheLevel.EVERYWHERE.value


@dataclass(frozen=True)
class MiningSummary:
    members: int
    places: int
    niches: int
    seconds: float


def _members() -> tuple[np.ndarray, list[Place], dict[Place, str]]:
    """Eligible member ids and the places each belongs to (its region, its country, all)."""
    rows = (
        Profile.objects.filter(q_listed(viewer=Viewer(user_id=None)))
        .filter(interests_visibility__in=[Visibility.EVERYONE, Visibility.MEMBERS])
        .order_by("user_id")
        .values_list("user_id", "country_key", "region_key", "country", "region")
    )
    ids: list[int] = []
    places: list[Place] = []
    labels: dict[Place, str] = {(EVERYWHERE, "", ""): ""}
    for user_id, country_key, region_key, country, region in rows.iterator(chunk_size=10_000):
        ids.append(user_id)
        places.append(("", country_key, region_key))
        if country_key:
            labels.setdefault((COUNTRY, country_key, ""), country)
            if region_key:
                labels.setdefault((REGION, country_key, region_key), f"{region}, {country}")
    return np.asarray(ids, dtype=np.int64), places, labels


def _matrix(user_ids: np.ndarray) -> tuple[sparse.csr_matrix, np.ndarray]:
    """The eligible members × interests 0/1 matrix, and the interest id of each column."""
    pairs = np.fromiter(
        itertools.chain.from_iterable(
            MemberInterest.objects.order_by()
            .values_list("user_id", "interest_id")
            .iterator(chunk_size=50_000)
        ),
        dtype=np.int64,
    ).reshape(-1, 2)
    if not len(pairs) or not len(user_ids):
        return sparse.csr_matrix((len(user_ids), 0), dtype=np.int32), np.zeros(0, np.int64)
    rows = np.searchsorted(user_ids, pairs[:, 0])
    rows = np.minimum(rows, len(user_ids) - 1)
    keep = user_ids[rows] == pairs[:, 0]
    interest_ids, cols = np.unique(pairs[keep, 1], return_inverse=True)
    data = np.ones(int(keep.sum()), dtype=np.int32)
    matrix = sparse.csr_matrix((data, (rows[keep], cols)), shape=(len(user_ids), len(interest_ids)))
    matrix.data[:] = 1  # a duplicate row would count twice
    return matrix, interest_ids


@dataclass(frozen=True)
class _Found:
    """Combinations of one size: column indexes (rows × size), members sharing, lift."""

    combos: np.ndarray
    counts: np.ndarray
    lifts: np.ndarray


def _frequent_combinations(
    x: sparse.csr_matrix, *, min_members: int, max_size: int
) -> list[_Found]:
    """Every combination of 2..max_size columns shared by ≥ min_members rows."""
    n = x.shape[0]
    counts = np.asarray(x.sum(axis=0)).ravel()
    frequent = np.flatnonzero(counts >= min_members)
    if n < min_members or len(frequent) < 2:
        return []
    sub = x[:, frequent].tocsc().astype(np.int32)
    share = counts[frequent] / n
    co = (sub.T @ sub).tocoo()
    upper = (co.row < co.col) & (co.data >= min_members)
    a, b, c = co.row[upper], co.col[upper], co.data[upper]
    found = [
        _Found(
            combos=np.column_stack([frequent[a], frequent[b]]),
            counts=c,
            lifts=c / (n * share[a] * share[b]),
        )
    ]
    if max_size < 3 or not len(a):
        return found
    # Triples extend frequent pairs only (apriori): for each interest i, among the members
    # holding it, count pairs of its frequent partners j < k. A triple shared by N members
    # has all three sub-pairs frequent, so nothing is missed.
    rows_csr, by_col = sub.tocsr(), sub.tocsc()
    parts: list[tuple[np.ndarray, ...]] = []
    order = np.lexsort((b, a))
    a_sorted, b_sorted = a[order], b[order]
    starts = np.flatnonzero(np.r_[True, a_sorted[1:] != a_sorted[:-1]])
    ends = np.r_[starts[1:], len(a_sorted)]
    for lo, hi in zip(starts.tolist(), ends.tolist(), strict=True):
        if hi - lo < 2:
            continue
        i = int(a_sorted[lo])
        partners = b_sorted[lo:hi]
        holders = by_col.indices[by_col.indptr[i] : by_col.indptr[i + 1]]
        block = rows_csr[holders][:, partners]
        co3 = (block.T @ block).tocoo()
        keep = (co3.row < co3.col) & (co3.data >= min_members)
        if keep.any():
            j, k = partners[co3.row[keep]], partners[co3.col[keep]]
            parts.append((np.full(len(j), i), j, k, co3.data[keep]))
    if parts:
        i3, j3, k3, c3 = (np.concatenate(p) for p in zip(*parts, strict=True))
        found.append(
            _Found(
                combos=np.column_stack([frequent[i3], frequent[j3], frequent[k3]]),
                counts=c3,
                lifts=c3 / (n * share[i3] * share[j3] * share[k3]),
            )
        )
    return found


def _coverage() -> dict[Place, set[frozenset[int]]]:
    """For each place, the interest sets of the groups that reach all of it (see above)."""
    through = Group.interests.through
    sets: dict[int, set[int]] = defaultdict(set)
    groups = Group.objects.exclude(visibility=GroupVisibility.SECRET)
    for group_id, interest_id in through.objects.filter(
        group_id__in=groups.values("pk")
    ).values_list("group_id", "interest_id"):
        sets[group_id].add(interest_id)
    covered: dict[Place, set[frozenset[int]]] = defaultdict(set)
    for pk, scope, country, region in groups.values_list(
        "pk", "scope", "country_key", "region_key"
    ):
        if len(sets[pk]) < 2:
            continue
        combo = frozenset(sets[pk])
        if scope == GroupScope.VIRTUAL:
            covered[(EVERYWHERE, "", "")].add(combo)
        elif scope == GroupScope.NATIONAL:
            covered[(COUNTRY, country, "")].add(combo)
        elif region:
            covered[(REGION, country, region)].add(combo)
    return covered


def _is_covered(
    place: Place, combo: tuple[int, ...], covered: dict[Place, set[frozenset[int]]]
) -> bool:
    level, country, _region = place
    reaching = [(EVERYWHERE, "", "")]
    if level in (COUNTRY, NicheLevel.REGION):
        reaching.append((COUNTRY, country, ""))
    if level == REGION:
        reaching.append(place)
    subsets = [
        frozenset(s)
        for size in range(2, len(combo) + 1)
        for s in itertools.combinations(combo, size)
    ]
    return any(s in covered.get(p, ()) for p in reaching for s in subsets)


def niche_mine(
    *,
    min_members: int = DEFAULT_MIN_MEMBERS,
    max_size: int = 3,
    progress: Callable[[int], None] | None = None,
    on_total: Callable[[int], None] | None = None,
) -> MiningSummary:
    """Mine every place's unmet niches and replace the stored ones in one transaction."""
    if min_members < 2:
        raise ValueError("min_members must be at least 2")
    if max_size not in (2, 3):
        raise ValueError("max_size must be 2 or 3")
    started = time.perf_counter()
    user_ids, member_places, labels = _members()
    x, interest_ids = _matrix(user_ids)
    rows_of: dict[Place, list[int]] = defaultdict(list)
    for row, (_, country, region) in enumerate(member_places):
        rows_of[(EVERYWHERE, "", "")].append(row)
        if country:
            rows_of[(COUNTRY, country, "")].append(row)
            if region:
                rows_of[(REGION, country, region)].append(row)
    if on_total:
        on_total(len(rows_of))
    covered = _coverage()
    now = timezone.now()
    found: list[UnmetNiche] = []
    for place, rows in sorted(rows_of.items()):
        for size in _frequent_combinations(
            x[np.asarray(rows)], min_members=min_members, max_size=max_size
        ):
            # Best lift first, then most members; stop once enough uncovered ones are kept.
            order = np.lexsort((-size.counts, -size.lifts))
            kept = 0
            for at in order.tolist():
                combo = tuple(sorted(int(interest_ids[col]) for col in size.combos[at]))
                if _is_covered(place, combo, covered):
                    continue
                found.append(
                    UnmetNiche(
                        level=place[0],
                        country_key=place[1],
                        region_key=place[2],
                        place=labels.get(place, ""),
                        interest_a_id=combo[0],
                        interest_b_id=combo[1],
                        interest_c_id=combo[2] if len(combo) > 2 else None,
                        member_count=int(size.counts[at]),
                        lift=round(float(size.lifts[at]), 4),
                        mined_at=now,
                    )
                )
                kept += 1
                if kept >= KEEP_PER_PLACE:
                    break
        if progress:
            progress(1)
    with transaction.atomic():
        UnmetNiche.objects.all().delete()
        UnmetNiche.objects.bulk_create(found, batch_size=2_000)
    return MiningSummary(
        members=len(user_ids),
        places=len(rows_of),
        niches=len(found),
        seconds=time.perf_counter() - started,
    )


@dataclass(frozen=True)
class NicheView:
    niche: UnmetNiche
    interests: list[Interest]
    where: str  # "in your region", "in your country", "in the community"

    @property
    def scope(self) -> str:
        return {
            NicheLevel.REGION: GroupScope.REGIONAL,
            NicheLevel.COUNTRY: GroupScope.NATIONAL,
        }.get(NicheLevel(self.niche.level), GroupScope.VIRTUAL)


_WHERE = {
    NicheLevel.REGION: "in your region",
    NicheLevel.COUNTRY: "in your country",
    NicheLevel.EVERYWHERE: "in the community",
}


_CANDIDATES_PER_SHOWN = 8


def niche_list_for(*, viewer: Viewer, limit: int = 5) -> list[NicheView]:
    """Unmet niches of the viewer's places that include at least one of their interests:
    their region's first, then their country's, then the whole community's. A niche sharing
    two interests with one already shown is left out (the same pair in the country after
    the region, or three triples around one pair, say the same thing)."""
    if viewer.user_id is None:
        return []
    place = (
        Profile.objects.filter(user_id=viewer.user_id).values("country_key", "region_key").first()
    ) or {"country_key": "", "region_key": ""}
    mine = MemberInterest.objects.filter(user_id=viewer.user_id).values("interest_id")
    where = Q(level=NicheLevel.EVERYWHERE)
    if place["country_key"]:
        where |= Q(level=NicheLevel.COUNTRY, country_key=place["country_key"])
        if place["region_key"]:
            where |= Q(
                level=NicheLevel.REGION,
                country_key=place["country_key"],
                region_key=place["region_key"],
            )
    rank = Case(
        When(level=NicheLevel.REGION, then=Value(0)),
        When(level=NicheLevel.COUNTRY, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    niches = (
        UnmetNiche.objects.filter(where)
        .filter(Q(interest_a__in=mine) | Q(interest_b__in=mine) | Q(interest_c__in=mine))
        .select_related("interest_a", "interest_b", "interest_c")
        .annotate(rank=rank)
        .order_by("rank", "-lift", "-member_count", "pk")[: limit * _CANDIDATES_PER_SHOWN]
    )
    views: list[NicheView] = []
    for niche in niches:
        if len(views) >= limit:
            break
        ids = set(niche.interest_ids)
        if any(len(ids & set(shown.niche.interest_ids)) >= 2 for shown in views):
            continue
        interests = [niche.interest_a, niche.interest_b]
        if niche.interest_c is not None:
            interests.append(niche.interest_c)
        interests.sort(key=lambda i: i.name.casefold())
        views.append(
            NicheView(niche=niche, interests=interests, where=_WHERE[NicheLevel(niche.level)])
        )
    return views


def niche_forget_covered(*, group: Group) -> int:
    """Drop the stored niches a new or changed group now covers, until the next run."""
    if group.visibility == GroupVisibility.SECRET:
        return 0
    ids = set(group.interests.values_list("id", flat=True))
    if len(ids) < 2:
        return 0
    if group.scope == GroupScope.VIRTUAL:
        where = Q()
    elif group.scope == GroupScope.NATIONAL:
        where = Q(country_key=group.country_key) & ~Q(level=NicheLevel.EVERYWHERE)
    elif group.region_key:
        where = Q(
            level=NicheLevel.REGION, country_key=group.country_key, region_key=group.region_key
        )
    else:
        return 0
    stale = [
        n.pk
        for n in UnmetNiche.objects.filter(where).filter(
            Q(interest_a__in=ids) | Q(interest_b__in=ids)
        )
        if ids <= set(n.interest_ids)
    ]
    deleted, _ = UnmetNiche.objects.filter(pk__in=stale).delete()
    return deleted
