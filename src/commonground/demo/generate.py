"""Deterministic demo communities: realistic names and professions, interests with a long
tail, and visible cross-profession clusters. Invented data only (see data/people.json).

Everything is drawn from one seeded random generator over rows ordered by stable keys, so the
same seed gives the same community on any database.
"""

from __future__ import annotations

import bisect
import importlib
import itertools
import json
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.test.utils import override_settings

from commonground.accounts.models import User
from commonground.core.visibility import Visibility
from commonground.interests.models import Interest, InterestStatus, MemberInterest
from commonground.interests.services import (
    interest_for_text,
    member_interest_add,
    member_interest_counts_rebuild,
)
from commonground.network.models import Connection
from commonground.network.services import connection_create
from commonground.profiles.models import OpenTo, Profile, Reach
from commonground.profiles.services import profile_ensure, profile_update

PEOPLE_PATH = Path(__file__).resolve().parent / "data" / "people.json"
DEMO_PASSWORD = "commonground-demo"  # noqa: S105 - documented demo login, demo data only
# Generic interests most people list; they lead the popularity curve.
POPULAR = ["Music", "Travel", "Cooking", "Movies", "Reading", "Hiking", "Coffee", "Photography"]
BATCH = 2_000
_MEET_POOL = 30  # same-city people each member might meet
_STRANGER_WEIGHT = 0.25  # chance of meeting someone sharing nothing, against one interest

Progress = Callable[[int], None]


@dataclass
class DemoPerson:
    email: str
    name: str
    profession: str
    city: str
    interests: list[str]
    headline: str
    open_to: list[str] = field(default_factory=list)


# The named demo logins printed by `make demo` and listed in the README.
DEMO_LOGINS = [
    DemoPerson(
        email="alex@demo.example",
        name="Alex Rivera",
        profession="Policy Analyst",
        city="Washington",
        interests=[
            "Washington Capitals",
            "Hockey",
            "Star Trek",
            "Kittens",
            "Bacon",
            "Podcasts",
            "The Tony Kornheiser Show",
            "Data science",
        ],
        headline="Policy analyst who never misses a Caps game",
        open_to=["friends", "find_mentor", "collaborations"],
    ),
    DemoPerson(
        email="sam@demo.example",
        name="Sam Okafor",
        profession="Research Scientist",
        city="Arlington",
        interests=[
            "Washington Capitals",
            "Hockey",
            "Star Trek",
            "Astronomy",
            "Sourdough baking",
            "Machine learning",
            "Data science",
        ],
        headline="Astrophysicist, Trekkie, weekend baker",
        open_to=["mentoring", "collaborations", "friends"],
    ),
]


def _load_people() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(PEOPLE_PATH.read_text(encoding="utf-8"))
    return data


class _Sampler:
    """Draw interests with a Zipf-like popularity: a few popular ones, a long tail of niches."""

    def __init__(self, rng: random.Random, interest_ids: list[int], exponent: float = 0.9):
        self.rng = rng
        self.ids = interest_ids
        weights = [1.0 / (rank + 1) ** exponent for rank in range(len(interest_ids))]
        self.cumulative = list(itertools.accumulate(weights))

    def draw(self, count: int) -> set[int]:
        chosen: set[int] = set()
        total = self.cumulative[-1]
        while len(chosen) < min(count, len(self.ids)):
            position = bisect.bisect_left(self.cumulative, self.rng.random() * total)
            chosen.add(self.ids[min(position, len(self.ids) - 1)])
        return chosen


def _interest_order(rng: random.Random) -> tuple[list[int], dict[str, int]]:
    rows = list(
        Interest.objects.filter(status=InterestStatus.CANONICAL)
        .order_by("name_key")
        .values_list("id", "name")
    )
    by_name = {name: interest_id for interest_id, name in rows}
    popular = [by_name[name] for name in POPULAR if name in by_name]
    rest = [interest_id for interest_id, _ in rows if interest_id not in set(popular)]
    rng.shuffle(rest)
    return popular + rest, by_name


def _hashed_password() -> str:
    # One hash for every demo member: hashing 100,000 passwords with argon2 would take hours.
    return make_password(DEMO_PASSWORD)


def _visibility(rng: random.Random) -> dict[str, str]:
    roll = rng.random()
    levels: dict[str, str] = {
        "headline_visibility": Visibility.EVERYONE,
        "bio_visibility": Visibility.MEMBERS,
        "work_visibility": Visibility.MEMBERS,
        "location_visibility": Visibility.MEMBERS,
        "open_to_visibility": Visibility.MEMBERS,
        "interests_visibility": Visibility.MEMBERS,
    }
    if roll < 0.06:
        levels["interests_visibility"] = Visibility.CONNECTIONS
    if roll > 0.92:
        levels["location_visibility"] = Visibility.CONNECTIONS
    if 0.5 < roll < 0.56:
        levels["work_visibility"] = Visibility.ONLY_ME
    return levels


def _fill(template: str, **values: str) -> str:
    try:
        return template.format(**values)
    except (KeyError, IndexError):
        return template


def generate_members(
    *,
    count: int,
    seed: int,
    email_prefix: str,
    progress: Progress | None = None,
) -> Iterator[tuple[User, Profile, set[int]]]:
    """Yield unsaved (user, profile, interest ids) for `count` members, deterministically."""
    rng = random.Random(seed)
    people = _load_people()
    order, by_name = _interest_order(rng)
    sampler = _Sampler(rng, order)
    professions = people["professions"]
    by_profession = {p["profession"]: p for p in professions}
    cities = people["cities"]
    city_by_name = {c["city"]: c for c in cities}
    clusters = people["clusters"]
    password = _hashed_password()
    open_to_values = list(OpenTo.values)
    for n in range(count):
        first = rng.choice(people["first_names"])
        last = rng.choice(people["last_names"])
        cluster = clusters[n % len(clusters)] if rng.random() < 0.3 else None
        if cluster:
            job = by_profession.get(rng.choice(cluster["professions"])) or rng.choice(professions)
            place = city_by_name.get(rng.choice(cluster["cities"])) or rng.choice(cities)
        else:
            job = rng.choice(professions)
            place = rng.choice(cities)
        virtual_only = rng.random() < 0.1
        interest_count = max(3, min(40, int(rng.gauss(11, 5))))
        interest_ids = sampler.draw(interest_count)
        if cluster:
            for name in cluster["interests"]:
                if name in by_name and rng.random() < 0.9:
                    interest_ids.add(by_name[name])
        organization = rng.choice(people["organizations"].get(job["industry"], ["Independent"]))
        headline = _fill(rng.choice(job["headline_templates"]), org=organization)
        user = User(email=f"{email_prefix}{n}@demo.example", password=password)
        profile = Profile(
            display_name=f"{first} {last}",
            headline=headline[:140],
            profession=job["profession"],
            profession_key=job["profession"].casefold(),
            industry=job["industry"],
            organization=organization,
            city="" if virtual_only else place["city"],
            region="" if virtual_only else place["region"],
            country=place["country"],
            city_key="" if virtual_only else place["city"].casefold(),
            region_key="" if virtual_only else place["region"].casefold(),
            country_key=place["country"].casefold(),
            reach=Reach.VIRTUAL if virtual_only else rng.choice(list(Reach.values)),
            open_to=sorted(rng.sample(open_to_values, rng.randint(0, 3)), key=open_to_values.index),
            onboarding_step=Profile.OnboardingStep.DONE,
            **_visibility(rng),
        )
        yield user, profile, interest_ids
        if progress:
            progress(1)


def _bio(rng: random.Random, templates: list[str], profession: str, names: list[str]) -> str:
    picks = names[:2] if len(names) >= 2 else [*names, "good company"][:2]
    return _fill(
        rng.choice(templates), interest1=picks[0], interest2=picks[1], profession=profession.lower()
    )[:2000]


def seed_members(
    *, count: int, seed: int, email_prefix: str = "member", progress: Progress | None = None
) -> int:
    """Create `count` members in batches. Returns how many were created."""
    rng = random.Random(seed + 1)
    people = _load_people()
    names = dict(Interest.objects.values_list("id", "name"))
    created = 0
    rows = generate_members(count=count, seed=seed, email_prefix=email_prefix, progress=progress)
    while batch := list(itertools.islice(rows, BATCH)):
        with transaction.atomic():
            users = User.objects.bulk_create([user for user, _, _ in batch], batch_size=BATCH)
            if users[0].pk is None:  # backends that don't return ids from bulk inserts
                emails = [u.email for u in users]
                ids = dict(User.objects.filter(email__in=emails).values_list("email", "id"))
                for user in users:
                    user.pk = ids[user.email]
            EmailAddress.objects.bulk_create(
                [EmailAddress(user=u, email=u.email, verified=True, primary=True) for u in users],
                batch_size=BATCH,
            )
            profiles = []
            links: list[MemberInterest] = []
            for user, (_, profile, interest_ids) in zip(users, batch, strict=True):
                profile.user = user
                profile.bio = _bio(
                    rng,
                    people["bio_templates"],
                    profile.profession,
                    [names[i] for i in sorted(interest_ids)[:2]],
                )
                profiles.append(profile)
                links.extend(
                    MemberInterest(
                        user=user,
                        interest_id=interest_id,
                        intensity=rng.choice((1, 2, 2, 3)),
                        kind="skill"
                        if rng.random() < 0.08
                        else "learn"
                        if rng.random() < 0.08
                        else "passion",
                    )
                    for interest_id in sorted(interest_ids)
                )
            Profile.objects.bulk_create(profiles, batch_size=BATCH)
            MemberInterest.objects.bulk_create(links, batch_size=5 * BATCH)
            _connect_neighbours(rng, users, batch)
        created += len(batch)
    member_interest_counts_rebuild()
    return created


def _member_interest_kind(rng: random.Random) -> str:
    roll = rng.random()
    return "skill" if roll < 0.08 else "learn" if roll < 0.16 else "passion"


def _connect_neighbours(
    rng: random.Random, users: list[User], batch: list[tuple[User, Profile, set[int]]]
) -> None:
    """A few connections among people in the same city (0-3 each), likelier the more
    interests two of them share: people meet through what they love, the homophily real
    communities show (on Last.fm, shared artists predict friendships). So "connections"
    visibility is real, and the engine's learned re-ranker has something true to learn."""
    by_city: dict[str, list[int]] = {}
    interests_of: dict[int, set[int]] = {}
    for user, (_, profile, interest_ids) in zip(users, batch, strict=True):
        by_city.setdefault(profile.city_key or "virtual", []).append(user.pk)
        interests_of[user.pk] = interest_ids
    pairs: set[tuple[int, int]] = set()
    for ids in by_city.values():
        for uid in ids:
            wanted = rng.randint(0, 3)
            others = [other for other in rng.sample(ids, min(len(ids), _MEET_POOL)) if other != uid]
            if not wanted or not others:
                continue
            mine = interests_of[uid]
            weights = [_STRANGER_WEIGHT + len(mine & interests_of[other]) for other in others]
            for other in rng.choices(others, weights=weights, k=wanted):
                pairs.add((min(uid, other), max(uid, other)))
    Connection.objects.bulk_create(
        [Connection(user_low_id=a, user_high_id=b) for a, b in sorted(pairs)],
        batch_size=BATCH,
        ignore_conflicts=True,
    )


def create_demo_logins() -> list[DemoPerson]:
    """The named demo accounts; idempotent."""
    people = _load_people()
    cities = {c["city"]: c for c in people["cities"]}
    industries = {p["profession"]: p["industry"] for p in people["professions"]}
    created_users = []
    for person in DEMO_LOGINS:
        user, fresh = User.objects.get_or_create(email=person.email)
        created_users.append(user)
        if not fresh:
            continue
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
        EmailAddress.objects.get_or_create(
            user=user, email=user.email, defaults={"verified": True, "primary": True}
        )
        profile_ensure(user=user)
        place = cities.get(person.city, {"city": person.city, "region": "", "country": "US"})
        profile_update(
            user=user,
            display_name=person.name,
            headline=person.headline,
            profession=person.profession,
            industry=industries.get(person.profession, ""),
            city=place["city"],
            region=place["region"],
            country=place["country"],
            open_to=person.open_to,
        )
        for name in person.interests:
            interest = interest_for_text(text=name, user=user, allow_new=False)
            member_interest_add(user=user, interest=interest, intensity=3)
        Profile.objects.filter(user=user).update(onboarding_step=Profile.OnboardingStep.DONE)
    connection_create(user_id=created_users[0].pk, other_id=created_users[1].pk)
    if not User.objects.filter(email="admin@demo.example").exists():
        admin = User.objects.create_superuser(email="admin@demo.example", password=DEMO_PASSWORD)
        EmailAddress.objects.create(user=admin, email=admin.email, verified=True, primary=True)
        profile_ensure(user=admin)
        Profile.objects.filter(user=admin).update(
            display_name="Community admin", onboarding_step=Profile.OnboardingStep.DONE
        )
    return DEMO_LOGINS


# Apps whose demo content (groups, events, posts, asks, opportunities…) follows the members.
# Each has a `demo.py` with `seed_demo(*, seed: int) -> None`, idempotent, run in this order.
DEMO_CONTENT_APPS = (
    "groups",
    "network",
    "events",
    "asks",
    "opportunities",
    "messaging",
    "notifications",
)


def seed_app_content(*, seed: int) -> None:
    """Run each app's demo seeding, in order; apps without a `demo` module are skipped."""
    # The content notifies members as real use would, but sends no email: the addresses are
    # invented, and a console backend would flood the terminal that runs `make demo`.
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
        for app in DEMO_CONTENT_APPS:
            try:
                module = importlib.import_module(f"commonground.{app}.demo")
            except ModuleNotFoundError as error:
                if error.name != f"commonground.{app}.demo":
                    raise
                continue
            module.seed_demo(seed=seed)
