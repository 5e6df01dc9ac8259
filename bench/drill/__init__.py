"""`make drill` (`python -m bench.drill`): Relais on several hosts of one
machine, with hosts killed under load (issue 19; bench/README.md "The
several-hosts drill").

Two web hosts (gunicorn, production settings) and two Celery worker hosts,
each a process group with its own empty folder, in its own network
namespace (or on its own loopback address), share one PostgreSQL, one Redis,
an S3 server (moto) and an SMTP server, behind haproxy health-checking
/healthz. The modules:

  __main__     the run, in order, and the figures it prints (report.py)
  setup        the shared services and the environment every host gets
  hosts        network namespaces, the host processes, their CPU time
  balancer     haproxy: the balancer under test, the TCP relay to the services
  phases       the checks, the throughput with one web host and two, the kills
  load         Locust against the balancer (its own process)
  django_side  the Django subcommands: seed, sessions, the final counts (its own process)
  seed         the drill's content in the template database (instead of the demo)
  snapshot     the restore drill's counts and per-certificate answers
  mail         the SMTP sink (its own process)
  restore      pg_dump and the buckets' copy, restored and compared

Environment: DRILL_DATABASE_URL (postgres://postgres@127.0.0.1:5432/relais_drill,
dropped and created each run; DATABASE_NAME_template keeps it migrated and
seeded for the next run, DRILL_FRESH=1 ignores it), DRILL_REDIS_URL
(redis://127.0.0.1:6379/10: that database and the next two are flushed),
DRILL_SECONDS (60), DRILL_NETNS (1), DRILL_RESTORE (1). `--setup-only`
makes the database (and the template) and the static files, then stops.

Light on imports: load.py runs as bench.drill.load, and Locust must patch
the standard library before anything else loads it.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BENCH = ROOT / "bench"
PYTHON = sys.executable
QUEUE = "relais-drill"


def log(message: str) -> None:
    print(f"[drill] {message}", flush=True)
