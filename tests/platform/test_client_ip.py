"""The client's own address behind a proxy: one `client_ip`, used by allauth's
rate limits and Relais's own (TRUSTED_PROXY_COUNT)."""

import pytest
from django.test import Client, RequestFactory

from relais.ratelimit import client_ip

PROXY = "127.0.0.1"


def request(remote="203.0.113.9", forwarded=None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


def test_without_trusted_proxies_the_forwarded_header_is_ignored(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_ip(request(forwarded="198.51.100.1")) == "203.0.113.9"


def test_one_trusted_proxy_gives_the_address_it_appended(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_ip(request(PROXY, "198.51.100.7")) == "198.51.100.7"


def test_a_forged_left_most_address_never_changes_the_client(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    # The client sent "X-Forwarded-For: 1.1.1.1"; the proxy appended its peer.
    forged = client_ip(request(PROXY, "1.1.1.1, 198.51.100.7"))
    other_forgery = client_ip(request(PROXY, "8.8.8.8, 198.51.100.7"))
    assert forged == other_forgery == "198.51.100.7"


def test_two_trusted_proxies_take_the_second_address_from_the_right(settings):
    settings.TRUSTED_PROXY_COUNT = 2
    ip = client_ip(request(PROXY, "6.6.6.6, 198.51.100.7, 10.1.2.3"))
    assert ip == "198.51.100.7"


def test_fewer_forwarded_entries_than_proxies_fall_back_to_the_peer(settings):
    settings.TRUSTED_PROXY_COUNT = 2
    assert client_ip(request("192.0.2.50", "198.51.100.7")) == "192.0.2.50"
    assert client_ip(request("192.0.2.50")) == "192.0.2.50"


def test_garbage_in_the_header_falls_back_to_the_peer(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_ip(request(PROXY, "not-an-address")) == PROXY


@pytest.mark.parametrize(
    ("entry", "expected"),
    [
        ("2001:db8::1", "2001:db8::1"),
        ("[2001:db8::1]:443", "2001:db8::1"),
        ("2001:DB8:0:0::1", "2001:db8::1"),
        ("198.51.100.7:5678", "198.51.100.7"),
    ],
)
def test_ipv6_and_ports_are_normalised(settings, entry, expected):
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_ip(request("::1", entry)) == expected


def _login(client, email, password, ip):
    return client.post(
        "/en/accounts/login/",
        {"login": email, "password": password},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=ip,
    )


def test_behind_a_proxy_failed_logins_lock_out_the_attacker_only(
    settings, site, participant, outsider
):
    """Two clients behind one proxy: six wrong passwords from one of them
    leave the other's sign-in working (before, everyone shared the proxy's
    address and was locked out)."""
    settings.TRUSTED_PROXY_COUNT = 1
    attacker = Client()
    for _ in range(6):
        response = _login(attacker, outsider.email, "wrong", "198.51.100.66")
    assert "Too many failed login attempts" in response.content.decode()

    # The attacker forging another address on the left changes nothing.
    response = _login(attacker, outsider.email, "wrong", "192.0.2.1, 198.51.100.66")
    assert "Too many failed login attempts" in response.content.decode()

    colleague = Client()
    response = _login(
        colleague, participant.email, "correct-horse-battery", "198.51.100.20"
    )
    assert response.status_code == 302
    assert colleague.session["_auth_user_id"] == str(participant.pk)
