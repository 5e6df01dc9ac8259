"""Changing roles in Wagtail's Users and Groups admin asks the staff member to
confirm it is them first (accounts/roles/, accounts/wagtail_hooks.py); the
change asked for is saved once they have."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils.http import urlencode

from accounts.models import User
from tests.conftest import PASSWORD

REAUTHENTICATE = "/en/accounts/reauthenticate/"


@pytest.fixture
def programme_staff_group(db):
    return Group.objects.get(name="Programme staff")


def confirm(client, next_url: str):
    return client.post(
        f"{REAUTHENTICATE}?{urlencode({'next': next_url})}", {"password": PASSWORD}
    )


def edit_data(user, groups) -> dict:
    return {
        "email": user.email,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "is_active": "on",
        "groups": [g.pk for g in groups],
    }


def test_the_user_form_shows_without_asking(client, site, admin_user, participant):
    client.force_login(admin_user)
    url = reverse("wagtailusers_users:edit", args=[participant.pk])
    assert client.get(url).status_code == 200


def test_giving_someone_a_role_asks_to_confirm_then_saves_it(
    client, site, admin_user, participant, programme_staff_group
):
    client.force_login(admin_user)
    url = reverse("wagtailusers_users:edit", args=[participant.pk])
    response = client.post(url, edit_data(participant, [programme_staff_group]))
    assert response.status_code == 302
    assert response["Location"].startswith(REAUTHENTICATE)
    assert not participant.groups.exists()

    response = confirm(client, url)
    assert response.status_code == 302
    assert list(participant.groups.all()) == [programme_staff_group]


def test_editing_a_group_asks_to_confirm(client, site, admin_user):
    client.force_login(admin_user)
    group = Group.objects.create(name="Country focal points")
    url = reverse("wagtailusers_groups:edit", args=[group.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"name": "Regional focal points"})
    assert response.status_code == 302
    assert response["Location"].startswith(REAUTHENTICATE)
    group.refresh_from_db()
    assert group.name == "Country focal points"


def test_deleting_a_user_asks_to_confirm(client, site, admin_user, participant):
    client.force_login(admin_user)
    url = reverse("wagtailusers_users:delete", args=[participant.pk])
    response = client.post(url)
    assert response["Location"].startswith(REAUTHENTICATE)
    assert User.objects.filter(pk=participant.pk).exists()


def test_assigning_a_role_in_bulk_asks_to_confirm_then_assigns_it(
    client, site, admin_user, participant, programme_staff_group
):
    client.force_login(admin_user)
    url = (
        reverse(
            "wagtail_bulk_action",
            args=[User._meta.app_label, User._meta.model_name, "assign_role"],
        )
        + f"?id={participant.pk}"
    )
    response = client.post(url, {"role": programme_staff_group.pk})
    assert response.status_code == 302
    assert response["Location"].startswith(REAUTHENTICATE)
    assert not participant.groups.exists()

    # A URL with a query string is not replayed: allauth brings the
    # confirmation page back, and sending it again now assigns the role.
    assert confirm(client, url)["Location"] == url
    client.post(url, {"role": programme_staff_group.pk})
    assert list(participant.groups.all()) == [programme_staff_group]


def test_once_confirmed_role_changes_save_straight_away(
    client, site, admin_user, participant, programme_staff_group
):
    client.force_login(admin_user)
    client.post(REAUTHENTICATE, {"password": PASSWORD})
    url = reverse("wagtailusers_users:edit", args=[participant.pk])
    response = client.post(url, edit_data(participant, [programme_staff_group]))
    assert response.status_code == 302
    assert not response["Location"].startswith(REAUTHENTICATE)
    assert list(participant.groups.all()) == [programme_staff_group]
