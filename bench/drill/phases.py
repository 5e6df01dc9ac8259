"""The drill's measured phases, once the hosts are up behind the balancer:
throughput with one web host and with two (and the CPU every process used),
then the mixed load during which one web host and one worker host are
SIGKILLed and brought back."""

from __future__ import annotations

import json
import re
import time
import urllib.error
import urllib.request
from pathlib import Path

from bench.processes import answers_200, start

from . import PYTHON, QUEUE
from . import balancer as lb
from .hosts import WEB_PORT, Host, cpu_sample, machine_cpu, pids_named
from .setup import load, redis_db

THROUGHPUT_USERS = 16
THROUGHPUT_SECONDS = 10
SERVICES = ("postgres", "redis-server", "haproxy")


def _lower(headers) -> dict[str, str]:
    """Header names in lower case (haproxy sends them so)."""
    return {k.lower(): v for k, v in headers.items()}


def _get(url: str) -> tuple[int, dict[str, str], bytes]:
    """An anonymous GET: no cookie, no credentials."""
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, _lower(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, _lower(error.headers), error.read()


def public_image(site_url: str, plan: Path) -> dict:
    """An anonymous visitor's image, through the balancer: the drill course's
    page (no cookie) names its cover image under S3_PUBLIC_URL (SITE_URL's
    /media/), whose rendition a web host drew and stored in the public
    bucket; that URL must answer 200 with an image, which only the public
    bucket's read policy allows (the object has no ACL). The private bucket
    stays out of reach: /media/ maps to the public bucket alone, and a
    listing of that bucket is refused."""
    course = json.loads(plan.read_text())["course"]
    status, _headers, body = _get(site_url + course)
    found = re.search(
        rb'(?:src|srcset)="(%s/media/[^" ,]+)' % re.escape(site_url.encode()), body
    )
    result: dict = {"page_status": status, "url": found and found.group(1).decode()}
    if found:
        status, headers, image = _get(found.group(1).decode())
        result.update(
            status=status,
            content_type=headers.get("content-type", ""),
            bytes=len(image),
        )
    # Listing the bucket is not reading an image: refused.
    result["listing_status"] = _get(f"{site_url}/media/")[0]
    result["ok"] = (
        result["listing_status"] == 403
        and result.get("status") == 200
        and result.get("content_type", "").startswith("image/")
        and result.get("bytes", 0) > 0
    )
    return result


def cpu_percent(before: dict[int, float], after: dict[int, float], wall: float):
    """Per process, % of one core over `wall` seconds, busiest first."""
    return sorted(
        (round(100 * (after.get(pid, t) - t) / wall) for pid, t in before.items()),
        reverse=True,
    )


def throughput(env: dict[str, str], plan: Path, run_dir: Path, web: list[Host]):
    """Catalogue and lesson pages through the balancer, with web2 put in
    maintenance (one host) and back (two); what each process's CPU did."""
    results: dict = {}
    for scenario in ("catalogue", "lesson"):
        for count in (1, 2):
            state = "disable" if count == 1 else "enable"
            lb.command(run_dir, f"{state} server web/web2")
            groups = {h.name: h.pids() for h in web}
            groups["services"] = pids_named(*SERVICES)
            before = {n: cpu_sample(p) for n, p in groups.items()}
            busy0, total0 = machine_cpu()
            t0 = time.monotonic()
            result = load(
                env,
                plan,
                f"{scenario}-{count}",
                "throughput",
                scenario,
                str(THROUGHPUT_USERS),
                str(THROUGHPUT_SECONDS),
            )
            wall = time.monotonic() - t0
            busy1, total1 = machine_cpu()
            after = {n: cpu_sample(p) for n, p in groups.items()}
            cpu = {n: cpu_percent(before[n], after[n], wall) for n in before}
            results[f"{scenario}-{count}"] = {
                "rps": result["rps"],
                "errors": result["errors"],
                "p50_ms": round(result["p50_ms"] or 0),
                "p95_ms": round(result["p95_ms"] or 0),
                "hosts": result["hosts"],
                "cpu_percent": cpu,
                # The whole machine, the drill's load generator and other
                # people's work included: % of all its cores.
                "machine_busy_percent": round(
                    100 * (busy1 - busy0) / max(total1 - total0, 1e-9)
                ),
            }
    lb.command(run_dir, "enable server web/web2")
    return results


def kills(
    env: dict[str, str],
    plan: Path,
    run_dir: Path,
    by_name: dict[str, Host],
    seconds: float,
) -> tuple[dict, dict]:
    """The mixed load for `seconds`; at 25 % web1 is SIGKILLed, at 35 %
    worker1; web1 comes back at 50 %, worker1 at 60 %. Returns the load's
    summary and the events (wall-clock times, the balancer's reactions)."""
    import redis

    broker = redis.Redis.from_url(redis_db(env["REDIS_URL"], 1))
    out = run_dir / "load-mixed.json"
    args = [PYTHON, "-m", "bench.drill.load", "mixed", str(out), str(plan)]
    loader = start(
        [*args, env["SITE_URL"], str(seconds)], run_dir / "load-mixed.log", env
    )
    watch = lb.StateWatch(run_dir)
    watch.start()
    events: dict = {}
    t0 = time.time()

    def at(fraction: float) -> None:
        time.sleep(max(0.0, t0 + seconds * fraction - time.time()))

    at(0.25)
    by_name["web1"].kill()
    events["web_killed"] = time.time()
    at(0.35)
    events["queued_before_worker_kill"] = broker.llen(QUEUE)
    events["unacked_before_worker_kill"] = broker.hlen("unacked")
    by_name["worker1"].kill()
    events["worker_killed"] = time.time()
    at(0.5)
    by_name["web1"].start()
    events["web_restarted"] = time.time()
    at(0.6)
    by_name["worker1"].start()
    events["worker_restarted"] = time.time()
    loader.wait(timeout=seconds + 120)
    # The restarted host may come up after the load has ended.
    up = lb.wait_state(run_dir, "web1", "UP", 60)
    up_at = time.time() if up is not None else None
    if up is None:
        web1 = by_name["web1"]
        url = f"http://{web1.address}:{WEB_PORT}/healthz"
        events["web1_not_up"] = {
            "healthz_direct": answers_200(url),
            "running": bool(web1.pids()),
            "log": web1.log_tail(600),
        }
    watch.done.set()
    watch.join()
    events["balancer_drop_s"] = watch.first("web1", "DOWN", events["web_killed"])
    # The watcher may stop before its next poll sees what wait_state saw.
    events["balancer_up_s"] = watch.first("web1", "UP", events["web_restarted"]) or (
        round(up_at - events["web_restarted"], 2) if up_at else None
    )
    events["balancer_changes"] = [
        (round(t - t0, 2), server, state) for t, server, state in watch.changes
    ]
    mixed = json.loads(out.read_text())
    return mixed, events
