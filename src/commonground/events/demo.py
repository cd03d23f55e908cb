"""Demo events (invented content only), in the demo groups and for the demo logins'
connections. Idempotent: an event whose title exists is left as it is. Runs after the groups'
demo content."""

from __future__ import annotations

import contextlib
import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

from commonground.accounts.models import User
from commonground.core.errors import ApplicationError
from commonground.events import services
from commonground.events.models import Event
from commonground.events.recurrence import Rule
from commonground.events.services import EventInput
from commonground.groups.models import Group, Membership, MembershipRole, MembershipState
from commonground.interests.models import Interest
from commonground.network.graph import connection_ids

ZONE = "America/New_York"
_LOGINS = ("alex@demo.example", "sam@demo.example")


@dataclass
class _DemoEvent:
    title: str
    group: str  # a demo group's name; "" for the creator's connections
    creator: str  # a demo login's email; "" for the group's owner
    days_ahead: int
    hour: int
    hours: float
    kind: str = "get_together"
    mode: str = "in_person"
    venue: str = ""
    address: str = ""
    city: str = "Washington"
    online_url: str = ""
    topics: list[str] = field(default_factory=list)
    capacity: int | None = None
    approval: bool = False
    rule: Rule | None = None
    going: int = 0  # how many members say "going" (beyond the demo logins)
    with_logins: bool = True
    check_in: bool = False
    plan_rounds: int = 0
    past: bool = False
    description: str = ""


EVENTS = [
    _DemoEvent(
        title="Kittens & Bacon brunch",
        group="Kittens & Bacon",
        creator="alex@demo.example",
        days_ahead=6,
        hour=11,
        hours=2,
        venue="The Crispy Whisker",
        address="1400 14th St NW",
        topics=["Kittens", "Bacon"],
        capacity=4,
        going=10,
        description="Thick-cut bacon, kitten photos, good company. **Four seats**; the "
        "waitlist moves up when someone can't make it.",
    ),
    _DemoEvent(
        title="Caps watch party",
        group="Caps fans of DC",
        creator="",
        days_ahead=3,
        hour=19,
        hours=3,
        venue="The Penalty Box",
        address="700 F St NW",
        topics=["Washington Capitals", "Hockey"],
        capacity=40,
        rule=Rule(frequency="weekly", count=10),
        going=14,
        description="Every Saturday the Caps play: big screen, loud opinions, no spoilers.",
    ),
    _DemoEvent(
        title="Star Trek speed networking",
        group="Star Trek & the night sky",
        creator="sam@demo.example",
        days_ahead=2,
        hour=18,
        hours=2,
        kind="speed_networking",
        mode="hybrid",
        venue="Arlington Library, room B",
        address="1015 N Quincy St",
        city="Arlington",
        online_url="https://meet.example.org/trek-speed-networking",
        topics=["Star Trek", "Astronomy"],
        going=12,
        check_in=True,
        plan_rounds=4,
        description="Seven-minute rounds with fellow Trekkies and stargazers. Tables are "
        "chosen for the rare interests you share.",
    ),
    _DemoEvent(
        title="Sourdough & stars: an evening talk",
        group="",
        creator="sam@demo.example",
        days_ahead=9,
        hour=20,
        hours=1.5,
        kind="talk",
        mode="virtual",
        city="",
        online_url="https://meet.example.org/sourdough-and-stars",
        topics=["Sourdough baking", "Astronomy"],
        going=4,
        description="What bread and galaxies have in common: patience. A friendly talk for "
        "my connections.",
    ),
    _DemoEvent(
        title="Data science meetup: notebooks in production",
        group="Data science & machine learning, US",
        creator="",
        days_ahead=-6,
        hour=18,
        hours=2,
        kind="workshop",
        venue="Civic Tech Hub",
        address="1100 New York Ave NW",
        topics=["Data science", "Machine learning"],
        capacity=30,
        going=10,
        check_in=True,
        past=True,
        description="Hands-on: taking a notebook to a scheduled job.",
    ),
]


def _creator(spec: _DemoEvent, group: Group | None) -> User | None:
    if spec.creator:
        user = User.objects.filter(email=spec.creator).first()
        if user is not None and (
            group is None
            or Membership.objects.filter(
                group=group,
                user=user,
                state=MembershipState.ACTIVE,
                role__in=[MembershipRole.OWNER, MembershipRole.ORGANIZER],
            ).exists()
        ):
            return user
    if group is None:
        return None
    owner = Membership.objects.filter(group=group, role=MembershipRole.OWNER).first()
    return owner.user if owner else None


def _audience(spec: _DemoEvent, group: Group | None, creator: User) -> list[User]:
    if group is not None:
        ids = Membership.objects.filter(group=group, state=MembershipState.ACTIVE).values("user_id")
        people = User.objects.filter(pk__in=ids)
    else:
        people = User.objects.filter(pk__in=sorted(connection_ids(user_id=creator.pk)))
    return list(people.exclude(pk=creator.pk).order_by("pk"))


def _seed_event(spec: _DemoEvent, rng: random.Random) -> None:
    if Event.objects.filter(title=spec.title).exists():
        return
    group = Group.objects.filter(name=spec.group).first() if spec.group else None
    if spec.group and group is None:
        return
    creator = _creator(spec, group)
    if creator is None:
        return
    zone = ZoneInfo(ZONE)
    day = (timezone.now().astimezone(zone) + timedelta(days=abs(spec.days_ahead))).date()
    starts = datetime(day.year, day.month, day.day, spec.hour)  # noqa: DTZ001 (local, in ZONE)
    topics = list(Interest.objects.filter(name__in=spec.topics))
    data = EventInput(
        title=spec.title,
        starts_local=starts,
        ends_local=starts + timedelta(hours=spec.hours),
        tz_name=ZONE,
        description=spec.description,
        kind=spec.kind,
        mode=spec.mode,
        venue=spec.venue,
        address=spec.address,
        city=spec.city,
        country="US" if spec.city else "",
        online_url=spec.online_url,
        topics=topics,
        capacity=spec.capacity,
        requires_approval=spec.approval,
    )
    group_slug = group.slug if group else None
    event = services.event_create(user=creator, data=data, group_slug=group_slug, rule=spec.rule)
    audience = [u for u in _audience(spec, group, creator) if u.email not in _LOGINS]
    logins = (
        list(User.objects.filter(email__in=_LOGINS).exclude(pk=creator.pk).order_by("email"))
        if spec.with_logins
        else []
    )
    chosen = logins + rng.sample(audience, min(spec.going, len(audience)))
    for user in list(chosen):
        try:
            services.event_rsvp(user=user, public_id=event.public_id)
        except ApplicationError:
            chosen.remove(user)  # a demo login who may not see this event
    if spec.check_in:
        for user in chosen:
            try:
                services.event_check_in(
                    user=creator, public_id=event.public_id, member_public_id=user.public_id
                )
            except ApplicationError:
                continue  # on the waitlist: not going, so not checked in
    if spec.plan_rounds:
        with contextlib.suppress(ApplicationError):
            services.speed_networking_generate(
                user=creator, public_id=event.public_id, rounds=spec.plan_rounds, seed=0
            )
    if spec.past:
        # Demo history: the event took place last week.
        shift = timedelta(days=2 * abs(spec.days_ahead))
        Event.objects.filter(pk=event.pk).update(
            starts_at=event.starts_at - shift, ends_at=event.ends_at - shift
        )


def seed_demo(*, seed: int) -> None:
    rng = random.Random(seed + 404)
    for spec in EVENTS:
        _seed_event(spec, rng)
