"""Demo asks and offers: invented posts by demo members, with answers, one marked helpful,
and one ask routed to alex@demo.example. Deterministic for a seed, and idempotent."""

from __future__ import annotations

import random
from dataclasses import dataclass

from django.db.models import Q

from commonground.accounts.models import User
from commonground.asks.models import Answer, Ask, AskRouting, AskStatus
from commonground.asks.services.routing import ask_route, routing_reason
from commonground.interests.models import Interest, MemberInterest
from commonground.suggestions.routing import rank_helpers

ALEX = "alex@demo.example"
SAM = "sam@demo.example"


@dataclass(frozen=True)
class DemoAsk:
    title: str
    body: str
    interests: tuple[str, ...]
    topic: str = "advice"
    kind: str = "ask"
    author: str = ""  # a named demo login, else drawn from the demo members
    answers: tuple[str, ...] = ()
    helpful: bool = False
    resolved: bool = False


POSTS = [
    DemoAsk(
        title="How do I move from lab research into data science?",
        body="Six years of experimental physics, lots of Python for analysis, no industry "
        "experience. **What would you learn first**, and what can I skip?",
        interests=("Data science", "Machine learning", "Python"),
        answers=(
            "Start with SQL and one end-to-end project on public data. Your analysis "
            "experience counts more than you think.",
            "Skip the deep learning courses at first; learn experiment design for product "
            "teams. It is the same craft you already have.",
        ),
        helpful=True,
    ),
    DemoAsk(
        title="Feedback on my sourdough starter routine",
        body="Feeding 1:1:1 twice a day at room temperature, but the loaves come out dense. "
        "What should I change first?",
        interests=("Sourdough baking",),
        topic="feedback",
        answers=("Try a stiffer starter (50% hydration) and use it right at its peak.",),
        helpful=True,
        resolved=True,
    ),
    DemoAsk(
        title="An introduction to someone in product management at a startup",
        body="I'm exploring a move from UX research into product. A 20-minute chat with a PM "
        "would help me understand the day to day.",
        interests=("Product management", "Startups", "UX design"),
        topic="introduction",
        answers=("Happy to chat myself: I moved from design to product two years ago.",),
    ),
    DemoAsk(
        title="Best episodes about the Caps' 2018 Cup run?",
        body="Making a playlist for a road trip. Interviews, recaps, anything with stories "
        "from the locker room.",
        interests=("Washington Capitals", "Podcasts"),
        topic="other",
    ),
    DemoAsk(
        title="Tips for a first public talk at a meetup",
        body="Ten minutes on our gardening co-op. How do I keep it from sounding like a report?",
        interests=("Public speaking", "Gardening"),
        answers=("Tell one story from one plot, with one photo. Numbers go on the last slide.",),
    ),
    DemoAsk(
        title="I can review CVs for people moving into data science",
        body="Send me your CV and the kind of role you want; I'll reply with three concrete "
        "changes within a week.",
        interests=("Data science",),
        kind="offer",
        answers=("I'd like this: moving from teaching into analytics.", "I'd like this."),
        helpful=True,
    ),
    DemoAsk(
        title="Telescope night for beginners: I'll bring mine",
        body="Clear skies permitting, I'll set up in the park and show you how to find "
        "Saturn and the Orion Nebula.",
        interests=("Astronomy",),
        kind="offer",
        author=SAM,
        answers=("I'd like this!",),
    ),
]
ROUTED_TO_ALEX = "Best episodes about the Caps' 2018 Cup run?"


def _demo_members() -> list[User]:
    return list(
        User.objects.filter(
            Q(email__startswith="demo-") | Q(email__in=[ALEX, SAM]),
            is_active=True,
            profile__onboarding_step__gte=4,
        ).order_by("email")
    )


def seed_demo(*, seed: int) -> None:
    members = _demo_members()
    by_email = {u.email: u for u in members}
    others = [u for u in members if u.email not in (ALEX, SAM)]
    if len(others) < 6:
        return
    rng = random.Random(seed)
    interests = {i.name: i for i in Interest.objects.filter(name__in=_all_interest_names())}
    for post in POSTS:
        author = by_email.get(post.author) or rng.choice(others)
        answerers = rng.sample([u for u in others if u.pk != author.pk], len(post.answers))
        ask = Ask.objects.filter(title=post.title, author__in=members).first()
        if ask is not None:
            continue  # seeded already: the same seed gives the same posts
        ask = Ask.objects.create(
            author=author, kind=post.kind, topic=post.topic, title=post.title, body=post.body
        )
        ask.interests.set([interests[n] for n in post.interests if n in interests])
        for n, (who, text) in enumerate(zip(answerers, post.answers, strict=True)):
            helpful = post.helpful and n == 0
            Answer.objects.create(ask=ask, author=who, body=text, helpful=helpful)
        if post.resolved:
            Ask.objects.filter(pk=ask.pk).update(status=AskStatus.RESOLVED)
        else:
            ask_route(ask_id=ask.pk)
    _route_to_alex(by_email.get(ALEX))


def _all_interest_names() -> set[str]:
    return {name for post in POSTS for name in post.interests}


def _route_to_alex(alex: User | None) -> None:
    """Alex shares this ask's interests; make sure the demo login sees a routed ask even when
    ten other members fit it better."""
    ask = Ask.objects.filter(title=ROUTED_TO_ALEX).first()
    if alex is None or ask is None or ask.author_id == alex.pk:
        return
    if AskRouting.objects.filter(ask=ask, member=alex).exists():
        return
    interest_ids = list(ask.interests.values_list("pk", flat=True))
    ranked = rank_helpers(
        author_id=ask.author_id, interest_ids=interest_ids, candidate_ids=[alex.pk]
    )
    if not ranked:
        return
    _, score, shared = ranked[0]
    names = dict(Interest.objects.filter(pk__in=shared).values_list("pk", "name"))
    skills = set(
        MemberInterest.objects.filter(user=alex, interest_id__in=shared, kind="skill").values_list(
            "interest_id", flat=True
        )
    )
    AskRouting.objects.create(
        ask=ask,
        member=alex,
        score=score,
        reason=routing_reason(shared=shared, skills=skills, names=names),
    )
