"""Time to draw one certificate PDF, in-process, per script of the name.

No database: the renderer takes frozen facts. Each case renders BENCH_N
times (default 200) after one warm-up render (fonts registered, caches
filled) and prints the median and p95 CPU time of one render (the
process's time.process_time, steadier than wall time on a shared machine)
and the PDF's size:

    .venv/bin/python bench/bench_render.py

RELAIS_CERTIFICATE_RENDERER picks the renderer measured (a dotted path),
so that another version can be timed in the same conditions. The figures
go in bench/README.md (Certificate rendering)."""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "platform")]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "relais.settings.dev")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.utils.module_loading import import_string  # noqa: E402

FACTS = {
    "kind": "course",
    "course": "Integration of migrants",
    "hours": "12.0",
    "date": "2026-12-01",
    "cohort": "Kampala 2026",
    "country": "UG",
    "signatory": "Dr. Amina Diallo",
    "signatory_title": "",
    "wording": "",
}
CASES = [
    ("Latin, en", "en", "José Núñez Peña"),
    ("Cyrillic, ru", "ru", "Айгерим Токтогулова"),
    ("Arabic, ar", "ar", "محمد عبد الله الحسيني"),
    ("Devanagari, en", "en", "अनीता शर्मा"),
    ("Khmer, fr", "fr", "សុខ ចាន់ដារ៉ា"),
    ("Chinese, en", "en", "王小明"),
]


def main() -> None:
    render = import_string(settings.RELAIS_CERTIFICATE_RENDERER)
    count = int(os.environ.get("BENCH_N", "200"))
    print(f"{'case':<16} {'median CPU ms':>13} {'p95':>6} {'size KB':>8}")
    for label, language, name in CASES:
        kwargs = {
            "facts": {**FACTS, "name": name},
            "code": "RLX-7KQ2-M9TD-4HXP-WZ3C",
            "language": language,
            "verify_url": f"https://relais.example/{language}/certificates/verify/"
            "RLX-7KQ2-M9TD-4HXP-WZ3C/",
        }
        size = len(render(**kwargs))  # warm-up: fonts loaded once per process
        times = []
        for _ in range(count):
            start = time.process_time()
            render(**kwargs)
            times.append((time.process_time() - start) * 1000)
        times.sort()
        p95 = times[int(len(times) * 0.95) - 1]
        print(
            f"{label:<16} {statistics.median(times):>13.1f} {p95:>6.1f} "
            f"{size / 1024:>8.1f}"
        )


if __name__ == "__main__":
    main()
