"""`make bench`: production settings with the demo app, whose demo content
and scale data the benchmark loads. Never for a real deployment."""

from .production import *  # noqa: F403

INSTALLED_APPS = [*INSTALLED_APPS, "demo"]  # noqa: F405
# The reference pages every scenario is measured against.
RELAIS_BENCH_VIEWS = True
