import threading

from django.test import RequestFactory

from relais import ratelimit


def test_hit_allows_up_to_the_limit_then_refuses():
    results = [
        ratelimit.hit(scope="t", idents=["ip:1.2.3.4"], limit=3, period=60)
        for _ in range(5)
    ]
    assert results == [False, False, False, True, True]
    assert ratelimit.is_limited(scope="t", idents=["ip:1.2.3.4"], limit=3, period=60)


def test_limits_are_per_ident_and_scope():
    for _ in range(3):
        ratelimit.hit(scope="a", idents=["ip:1"], limit=3, period=60)
    assert ratelimit.is_limited(scope="a", idents=["ip:1"], limit=3, period=60)
    assert not ratelimit.is_limited(scope="a", idents=["ip:2"], limit=3, period=60)
    assert not ratelimit.is_limited(scope="b", idents=["ip:1"], limit=3, period=60)


def test_request_idents_include_ip_and_user(participant):
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.7")
    request.user = participant
    assert ratelimit.request_idents(request) == [
        "ip:10.0.0.7",
        f"user:{participant.pk}",
    ]


def test_a_burst_of_simultaneous_hits_lets_only_the_limit_through():
    barrier = threading.Barrier(40)
    results: list[bool] = []

    def one_try():
        barrier.wait()
        results.append(
            ratelimit.hit(scope="burst", idents=["ip:9.9.9.9"], limit=10, period=60)
        )

    threads = [threading.Thread(target=one_try) for _ in range(40)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results.count(False) == 10
    assert results.count(True) == 30


def test_forgive_gives_one_hit_back():
    for _ in range(3):
        ratelimit.hit(scope="f", idents=["ip:1"], limit=3, period=60)
    ratelimit.forgive(scope="f", idents=["ip:1"], period=60)
    assert not ratelimit.is_limited(scope="f", idents=["ip:1"], limit=3, period=60)
    assert ratelimit.hit(scope="f", idents=["ip:1"], limit=3, period=60) is False
