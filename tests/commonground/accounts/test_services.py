from __future__ import annotations

import pytest

from commonground.accounts.errors import TokenLimitReached, TokenNotFound
from commonground.accounts.models import ApiToken, new_public_id
from commonground.accounts.selectors import api_token_list, user_for_api_key
from commonground.accounts.services import (
    MAX_ACTIVE_TOKENS,
    api_token_create,
    api_token_revoke,
    hash_token,
)
from commonground.core.errors import ValidationFailed
from tests.commonground.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_api_token_create_stores_only_a_hash_and_the_key_finds_the_user():
    # given
    user = UserFactory()

    # when
    issued = api_token_create(user=user, name="  my script ")

    # then
    token = ApiToken.objects.get(user=user)
    assert issued.key.startswith("cg_")
    assert token.name == "my script"
    assert token.prefix == issued.key[:10]
    assert token.key_hash == hash_token(issued.key)
    assert issued.key not in {token.name, token.prefix, token.key_hash}
    assert user_for_api_key(issued.key) == user
    assert ApiToken.objects.get(pk=token.pk).last_used_at is not None


@pytest.mark.parametrize("name", ["", "   ", "x" * 81, "bad\x00name"])
def test_api_token_create_rejects_bad_names(name):
    # given
    user = UserFactory()

    # when
    with pytest.raises(ValidationFailed) as caught:
        api_token_create(user=user, name=name)

    # then
    assert caught.value.field == "name"
    assert ApiToken.objects.count() == 0


def test_api_token_create_stops_at_the_limit_of_active_tokens():
    # given
    user = UserFactory()
    for n in range(MAX_ACTIVE_TOKENS):
        api_token_create(user=user, name=f"t{n}")

    # when
    with pytest.raises(TokenLimitReached):
        api_token_create(user=user, name="one more")

    # then
    assert ApiToken.objects.filter(user=user).count() == MAX_ACTIVE_TOKENS


def test_revoked_token_no_longer_authenticates_and_leaves_the_list():
    # given
    user = UserFactory()
    kept = api_token_create(user=user, name="kept")
    revoked = api_token_create(user=user, name="revoked")

    # when
    api_token_revoke(user=user, token_id=revoked.token.pk)

    # then
    assert user_for_api_key(revoked.key) is None
    assert user_for_api_key(kept.key) == user
    assert list(api_token_list(user=user)) == [kept.token]


def test_a_member_cannot_revoke_someone_elses_token():
    # given
    owner, other = UserFactory(), UserFactory()
    issued = api_token_create(user=owner, name="mine")

    # when
    with pytest.raises(TokenNotFound):
        api_token_revoke(user=other, token_id=issued.token.pk)

    # then
    assert ApiToken.objects.get(pk=issued.token.pk).revoked_at is None
    assert user_for_api_key(issued.key) == owner


def test_revoking_twice_is_not_found():
    # given
    user = UserFactory()
    issued = api_token_create(user=user, name="t")
    api_token_revoke(user=user, token_id=issued.token.pk)

    # when / then
    with pytest.raises(TokenNotFound):
        api_token_revoke(user=user, token_id=issued.token.pk)


@pytest.mark.parametrize(
    "key",
    ["", "cg_", "cg_wrong", "not-a-token", "cg_" + "a" * 200],
)
def test_user_for_api_key_with_a_wrong_key_is_none(key):
    # given
    api_token_create(user=UserFactory(), name="real")

    # when / then
    assert user_for_api_key(key) is None


def test_user_for_api_key_of_a_deactivated_user_is_none():
    # given
    user = UserFactory()
    issued = api_token_create(user=user, name="t")
    user.is_active = False
    user.save()

    # when / then
    assert user_for_api_key(issued.key) is None


def test_api_token_key_with_the_right_prefix_but_tampered_is_none():
    # given
    user = UserFactory()
    issued = api_token_create(user=user, name="t")

    # when / then
    assert user_for_api_key(issued.key[:-1] + ("A" if issued.key[-1] != "A" else "B")) is None


def test_public_ids_never_start_with_a_dash_which_a_command_line_reads_as_an_option():
    # when
    ids = [new_public_id() for _ in range(5000)]

    # then
    assert not [i for i in ids if i.startswith("-")]
    assert len(set(ids)) == 5000
    assert {len(i) for i in ids} == {11}
