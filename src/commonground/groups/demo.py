"""Demo groups with discussions (invented content only). Idempotent: a group that exists by
name is left as it is."""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from commonground.accounts.models import User
from commonground.groups import services
from commonground.groups.discussions import services as discussions
from commonground.groups.models import Group, Post
from commonground.groups.niches import niche_mine
from commonground.interests.models import Interest, MemberInterest

# Demo communities are small: a niche of 5 members in a region is worth showing there.
DEMO_NICHE_MIN_MEMBERS = 5
_DEMO_EMAILS = ("alex@demo.example", "sam@demo.example")


@dataclass
class _DemoGroup:
    name: str
    interests: list[str]
    description: str
    scope: str = "virtual"
    place: dict[str, str] = field(default_factory=dict)
    visibility: str = "public"
    owner: str = ""  # a demo login's email, else a generated member
    with_alex: bool = False
    posts: list[tuple[str, str, str]] = field(default_factory=list)  # title, body, link


GROUPS = [
    _DemoGroup(
        name="Caps fans of DC",
        interests=["Washington Capitals", "Hockey"],
        description="Watch parties, ticket swaps and **loud opinions** about the power play.",
        scope="regional",
        place={"region": "District of Columbia", "country": "US"},
        with_alex=True,
        posts=[
            (
                "Watch party on Saturday",
                "Who's in for the game at the usual spot? Bring a friend. #watchparty #caps",
                "",
            ),
            (
                "Power play, again",
                "Four games without a power-play goal. What would *you* change? #caps #hockey",
                "",
            ),
            (
                "A good read on the rebuild",
                "Thoughtful piece on where the team goes next. #hockey",
                "https://example.org/articles/the-rebuild",
            ),
        ],
    ),
    _DemoGroup(
        name="Kittens & Bacon",
        interests=["Kittens", "Bacon"],
        description="For people who love both. Yes, really. Photos welcome.",
        owner="alex@demo.example",
        posts=[
            (
                "Introduce your kitten",
                "Name, age, and favourite napping spot. Mine: Biscuit, 4 months, the keyboard. "
                "#kittens",
                "",
            ),
            (
                "Best bacon in town?",
                "Looking for crispy, thick-cut. Recommendations? #bacon #brunch",
                "",
            ),
        ],
    ),
    _DemoGroup(
        name="Star Trek & the night sky",
        interests=["Star Trek", "Astronomy"],
        description="Episodes, telescopes, and which starship you'd take to Andromeda.",
        owner="sam@demo.example",
        with_alex=True,
        posts=[
            (
                "Meteor shower this week",
                "Clear skies forecast on Thursday: who's driving out of the city? #astronomy",
                "",
            ),
            (
                "Best episode for a first-time viewer",
                "I say *The Inner Light*. Fight me. #startrek",
                "https://example.org/articles/the-inner-light",
            ),
        ],
    ),
    _DemoGroup(
        name="Data science & machine learning, US",
        interests=["Data science", "Machine learning"],
        description="Papers, tools and jobs. Monthly online reading group.",
        scope="national",
        place={"country": "US"},
        posts=[
            (
                "Reading group: this month's paper",
                "We read about evaluation pitfalls. Notes in the thread. #readinggroup #ml",
                "https://example.org/papers/evaluation-pitfalls",
            ),
        ],
    ),
    _DemoGroup(
        name="Knitting circle",
        interests=["Knitting", "Tea"],
        description="Slow crafts and strong tea. Members only: ask to join.",
        visibility="private",
        posts=[
            (
                "Pattern swap",
                "Post the pattern you are working on this month. #knitting",
                "",
            ),
        ],
    ),
]
COMMENTS = [
    "Count me in!",
    "Great idea — thanks for organizing.",
    "Totally agree.",
    "I'd add one thing: bring snacks.",
    "Saving this for later.",
    "Ha, this made my day.",
]
EMOJIS = ["thumbs_up", "heart", "party", "idea", "laugh"]


def _holders(interests: list[Interest], limit: int) -> list[User]:
    """Generated demo members who hold all these interests, in a stable order."""
    users = User.objects.filter(email__startswith="demo-", is_active=True)
    for interest in interests:
        users = users.filter(
            pk__in=MemberInterest.objects.filter(interest=interest).values("user_id")
        )
    return list(users.order_by("pk")[:limit])


def _seed_group(spec: _DemoGroup, rng: random.Random) -> None:
    if Group.objects.filter(name=spec.name).exists():
        return
    interests = list(Interest.objects.filter(name__in=spec.interests))
    if len(interests) != len(spec.interests):
        return
    members = _holders(interests, 14) or _holders(interests[:1], 14)
    owner = User.objects.filter(email=spec.owner).first() if spec.owner else None
    if owner is None:
        if not members:
            return
        owner = members.pop(0)
    group = services.group_create(
        user=owner,
        name=spec.name,
        description=spec.description,
        interests=interests,
        scope=spec.scope,
        visibility=spec.visibility,
        **spec.place,
    )
    joiners = list(members)
    if spec.with_alex:
        joiners += list(User.objects.filter(email__in=_DEMO_EMAILS).exclude(pk=owner.pk))
    for user in joiners:
        services.group_join(user=user, slug=group.slug)
        if spec.visibility == "private":
            services.group_request_approve(
                user=owner, slug=group.slug, member_public_id=user.public_id
            )
    people = [owner, *joiners]
    for title, body, link in spec.posts:
        author = rng.choice(people)
        post = discussions.post_create(
            user=author, slug=group.slug, title=title, body=body, link_url=link
        )
        for commenter in rng.sample(people, min(len(people), rng.randint(1, 4))):
            discussions.comment_create(
                user=commenter, slug=group.slug, post_id=post.public_id, body=rng.choice(COMMENTS)
            )
        for reactor in rng.sample(people, min(len(people), rng.randint(1, 6))):
            discussions.reaction_toggle(
                user=reactor, slug=group.slug, post_id=post.public_id, emoji=rng.choice(EMOJIS)
            )
    first = Post.objects.filter(group=group).order_by("pk").first()
    if first is not None:
        discussions.post_pin(user=owner, slug=group.slug, post_id=first.public_id)


def seed_demo(*, seed: int) -> None:
    rng = random.Random(seed)
    for spec in GROUPS:
        _seed_group(spec, rng)
    niche_mine(min_members=DEMO_NICHE_MIN_MEMBERS)
