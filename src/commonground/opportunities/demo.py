"""Demo opportunities: a dozen of each audience, posted by demo members, some for
alex@demo.example to see, and referrals in progress. Invented content only; deterministic for
a seed, and idempotent (a second run adds nothing)."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from commonground.accounts.models import User
from commonground.core.errors import ApplicationError
from commonground.groups.models import Membership, MembershipState
from commonground.interests.models import Interest
from commonground.network.graph import connection_ids
from commonground.opportunities import services
from commonground.opportunities.models import Audience, Opportunity, Referral

ALEX = "alex@demo.example"
SAM = "sam@demo.example"
# Few enough that each audience gets its own specs: a member's list shows no repeats.
PER_AUDIENCE = 3


@dataclass(frozen=True)
class Spec:
    kind: str
    title: str
    organization: str
    skills: tuple[str, ...]
    interests: tuple[str, ...] = ()
    compensation: str = ""
    remote: bool = True


SPECS = [
    Spec(
        "job",
        "Data analyst, transit ridership",
        "Metro Insights",
        ("Data science", "Python"),
        ("Public transit",),
        "$85k–$100k",
    ),
    Spec(
        "freelance",
        "Illustrate a field guide to city birds",
        "Feather Press",
        ("Illustration",),
        ("Birdwatching",),
        "$4,000 fixed",
    ),
    Spec(
        "collaboration",
        "Co-host a podcast about hockey analytics",
        "",
        ("Podcasts",),
        ("Hockey", "Data science"),
    ),
    Spec(
        "volunteer",
        "Mentor first-time founders on Saturdays",
        "Startup Commons",
        ("Startups",),
        ("Mentoring",),
    ),
    Spec(
        "job",
        "UX researcher for a library app",
        "Open Shelf",
        ("UX design",),
        ("Books",),
        "$90k",
        False,
    ),
    Spec(
        "freelance",
        "Build a dashboard for a food bank",
        "Capital Food Share",
        ("Data visualization", "Python"),
        ("Volunteering",),
        "$60/hour",
    ),
    Spec(
        "collaboration",
        "Write a citizen-science guide to meteors",
        "",
        ("Writing",),
        ("Astronomy",),
    ),
    Spec(
        "volunteer",
        "Run the sourdough table at the spring fair",
        "Neighbourhood Market",
        ("Sourdough baking",),
        ("Gardening",),
    ),
    Spec(
        "job",
        "Machine learning engineer, climate models",
        "Cloudline",
        ("Machine learning", "Python"),
        ("Climate change",),
        "$140k–$170k",
    ),
    Spec(
        "freelance",
        "Photograph a community garden's first season",
        "Green Plots",
        ("Photography",),
        ("Gardening",),
        "$1,200",
    ),
    Spec(
        "collaboration",
        "Speaker coaching circle for introverts",
        "",
        ("Public speaking",),
        ("Toastmasters",),
    ),
    Spec(
        "volunteer",
        "Teach Python to teens after school",
        "Code Club DC",
        ("Python", "Teaching"),
        ("Education",),
    ),
]
DESCRIPTION = (
    "We'd rather hear about you from someone who knows your work than from a job board.\n\n"
    "- **What**: {title}\n- **Who**: {organization}\n- **How**: tell me you're interested, or "
    "refer a connection who fits.\n\n*Invented for the demo.*"
)


def _interests(names: tuple[str, ...]) -> list[Interest]:
    return list(Interest.objects.filter(name__in=names))


def _post(
    *, poster: User, spec: Spec, audience: str, rng: random.Random, **extra: object
) -> Opportunity | None:
    try:
        return services.opportunity_create(
            user=poster,
            kind=spec.kind,
            title=spec.title,
            organization=spec.organization,
            description=DESCRIPTION.format(
                title=spec.title, organization=spec.organization or "a few of us"
            ),
            skills=_interests(spec.skills),
            interests=_interests(spec.interests),
            remote=spec.remote,
            city="" if spec.remote else "Washington",
            region="" if spec.remote else "District of Columbia",
            country="" if spec.remote else "US",
            compensation=spec.compensation,
            expires_at=timezone.now() + timedelta(days=rng.randint(7, 90)),
            audience=audience,
            **extra,  # type: ignore[arg-type]
        )
    except ApplicationError:
        return None


def seed_demo(*, seed: int) -> None:
    if Opportunity.objects.filter(poster__email__startswith="demo-").exists():
        return
    alex = User.objects.filter(email=ALEX).first()
    members = list(User.objects.filter(email__startswith="demo-").order_by("pk")[:400])
    if alex is None or len(members) < 20:
        return
    rng = random.Random(seed)
    with transaction.atomic():
        _seed(alex=alex, members=members, rng=rng)


def _seed(*, alex: User, members: list[User], rng: random.Random) -> None:
    friends = sorted(connection_ids(user_id=alex.pk))
    friend_users = list(User.objects.filter(pk__in=friends).order_by("pk")) or members[:3]
    groups = list(
        Membership.objects.filter(user=alex, state=MembershipState.ACTIVE).values_list(
            "group_id", flat=True
        )
    )
    for i in range(PER_AUDIENCE):
        spec = SPECS[i % len(SPECS)]
        _post(poster=rng.choice(members), spec=spec, audience=Audience.EVERYONE, rng=rng)
        _post(
            poster=friend_users[i % len(friend_users)],
            spec=SPECS[(i + 3) % len(SPECS)],
            audience=Audience.CONNECTIONS,
            rng=rng,
        )
        _post(
            poster=rng.choice(members),
            spec=SPECS[(i + 6) % len(SPECS)],
            audience=Audience.SECOND_DEGREE,
            rng=rng,
        )
        _post_to_group(groups=groups, alex=alex, spec=SPECS[(i + 9) % len(SPECS)], index=i, rng=rng)
        named = [alex.public_id] if i % 2 == 0 else [rng.choice(members).public_id]
        poster = rng.choice(members)
        if poster.public_id not in named:
            _post(
                poster=poster,
                spec=SPECS[(i * 4 + 1) % len(SPECS)],
                audience=Audience.NAMED,
                rng=rng,
                audience_members=named,
            )
    _alex_posts_and_referrals(alex=alex, friends=friend_users, rng=rng)


def _post_to_group(
    *, groups: list[int], alex: User, spec: Spec, index: int, rng: random.Random
) -> None:
    if not groups:
        return
    group_id = groups[index % len(groups)]
    other = (
        Membership.objects.filter(group_id=group_id, state=MembershipState.ACTIVE)
        .exclude(user=alex)
        .select_related("user", "group")
        .order_by("pk")
        .first()
    )
    if other is not None:
        _post(
            poster=other.user,
            spec=spec,
            audience=Audience.GROUPS,
            rng=rng,
            audience_groups=[other.group.slug],
        )


def _alex_posts_and_referrals(*, alex: User, friends: list[User], rng: random.Random) -> None:
    """Alex shares a collaboration with their connections; one friend refers another (agreed,
    being reviewed); and a friend asks to refer Alex to something (waiting for Alex)."""
    mine = _post(
        poster=alex,
        spec=Spec(
            "collaboration",
            "Caps fan survey: help me analyse 2,000 answers",
            "",
            ("Data science",),
            ("Washington Capitals",),
        ),
        audience=Audience.CONNECTIONS,
        rng=rng,
    )
    if mine is not None:
        _refer_someone(referrer_pool=friends, opportunity=mine, poster=alex)
    for friend in friends:
        visible = (
            Opportunity.objects.filter(audience=Audience.EVERYONE)
            .exclude(poster__in=[alex, friend])
            .order_by("pk")
            .first()
        )
        if visible is None or Referral.objects.filter(candidate=alex).exists():
            break
        try:
            services.referral_create(
                user=friend,
                opportunity_public_id=visible.public_id,
                candidate_public_id=alex.public_id,
                note="Alex would be great at this.",
            )
        except ApplicationError:
            continue


def _refer_someone(*, referrer_pool: list[User], opportunity: Opportunity, poster: User) -> None:
    """The first friend with another connection refers them; they agree; it is reviewed."""
    for referrer in referrer_pool:
        others = sorted(connection_ids(user_id=referrer.pk) - {poster.pk})
        candidate = User.objects.filter(pk__in=others).order_by("pk").first()
        if candidate is None:
            continue
        try:
            referral = services.referral_create(
                user=referrer,
                opportunity_public_id=opportunity.public_id,
                candidate_public_id=candidate.public_id,
                note="Knows survey statistics inside out.",
            )
            services.referral_candidate_answer(
                user=candidate, public_id=referral.public_id, agree=True
            )
            services.referral_status_set(
                user=poster, public_id=referral.public_id, status="reviewing"
            )
        except ApplicationError:
            continue
        return
