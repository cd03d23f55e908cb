"""factory_boy factories for the product's models."""

from __future__ import annotations

from typing import Any

import factory
from django.utils.text import slugify

from commonground.accounts.models import User
from commonground.interests.keys import normalize
from commonground.interests.models import Interest, MemberInterest
from commonground.profiles.models import Profile

PASSWORD = "correct horse battery"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User

    email = factory.Sequence(lambda n: f"member{n}@example.org")
    password = factory.django.Password(PASSWORD)


class ProfileFactory(factory.django.DjangoModelFactory):
    """An onboarded member with a profile (and its user)."""

    class Meta:
        model = Profile

    user = factory.SubFactory(UserFactory)
    display_name = factory.Sequence(lambda n: f"Member {n}")
    headline = "Curious about everything"
    profession = "Research Scientist"
    profession_key = factory.LazyAttribute(lambda p: p.profession.casefold())
    industry = "Science"
    city = "Washington"
    region = "District of Columbia"
    country = "US"
    city_key = factory.LazyAttribute(lambda p: p.city.casefold())
    region_key = factory.LazyAttribute(lambda p: p.region.casefold())
    country_key = factory.LazyAttribute(lambda p: p.country.casefold())
    onboarding_step = Profile.OnboardingStep.DONE


class InterestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Interest
        django_get_or_create = ("name_key",)

    name = factory.Sequence(lambda n: f"Test interest {n}")
    name_key = factory.LazyAttribute(lambda i: normalize(i.name))
    slug = factory.LazyAttribute(lambda i: slugify(i.name))
    kind = "hobby"


def give_interests(profile: Profile, *interests: Interest, **extra: Any) -> list[MemberInterest]:
    """Attach interests through the service, so member counts stay true."""
    from commonground.interests.services import member_interest_add

    return [member_interest_add(user=profile.user, interest=i, **extra) for i in interests]


class NewMemberFactory(ProfileFactory):
    """A member who signed up but has not finished onboarding (an empty profile)."""

    display_name = ""
    headline = ""
    profession = ""
    industry = ""
    city = ""
    region = ""
    country = ""
    onboarding_step = Profile.OnboardingStep.ABOUT


def connect(a: Profile, b: Profile) -> None:
    """Make two members connections, through the service."""
    from commonground.network.services import connection_create

    connection_create(user_id=a.user_id, other_id=b.user_id)


def interest_named(name: str) -> Interest:
    """An interest shipped in the taxonomy (loaded by the migration)."""
    return Interest.objects.get(name=name)
