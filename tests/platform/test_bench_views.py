"""The benchmark's reference pages: mounted only when RELAIS_BENCH_VIEWS is on."""

import importlib

import pytest
from django.test import override_settings
from django.urls import Resolver404, clear_url_caches, resolve


@pytest.fixture
def reload_urls():
    from relais import urls

    def reload():
        clear_url_caches()
        importlib.reload(urls)

    yield reload
    reload()  # back to the test settings' URLs


def test_the_reference_pages_are_not_mounted_unless_turned_on(reload_urls):
    with override_settings(RELAIS_BENCH_VIEWS=False):
        reload_urls()
        for path in ("/bench/reference/", "/bench/reference/signed-in/"):
            with pytest.raises(Resolver404):
                resolve(path)


def test_the_signed_in_reference_needs_a_session_and_shows_the_user(
    client, participant
):
    response = client.get("/bench/reference/signed-in/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]

    client.force_login(participant)
    response = client.get("/bench/reference/signed-in/")
    assert response.status_code == 200
    assert participant.email in response.content.decode()
    assert client.post("/bench/reference/signed-in/").status_code == 405
