"""What `make bench` measures: the scenarios, their targets and the levels.

Shared by the runner (run.py), the Django-side preparation (prepare.py) and
the load generator (loadgen.py). Plain data, no Django import."""

from __future__ import annotations

from dataclasses import dataclass

LEVELS = (8, 32)  # concurrent users, each sending its next request on reply
P95_TARGET_MS_AT_8 = 150


@dataclass(frozen=True)
class Scenario:
    name: str
    title: str
    what: str
    # Of the (anonymous) reference's req/s at the same level. Signed-in pages
    # are also reported against the signed-in reference, without a target.
    target_ratio: float | None
    signed_in: bool = False
    method: str = "GET"


REFERENCES = ("reference", "reference_signed_in")

SCENARIOS = (
    Scenario(
        "reference",
        "Reference (bare Django view)",
        "GET /bench/reference/: a constant page through the full middleware stack",
        None,
    ),
    Scenario(
        "reference_signed_in",
        "Signed-in reference (bare view, session and user loaded)",
        "GET /bench/reference/signed-in/ as a scale-data participant",
        None,
        signed_in=True,
    ),
    Scenario(
        "catalogue",
        "Anonymous catalogue",
        "GET /en/courses/ without cookies (the anonymous page cache may answer)",
        0.60,
    ),
    Scenario(
        "course",
        "Anonymous course page",
        "GET the busiest course page (the scale course) without cookies",
        0.60,
    ),
    Scenario(
        "lesson",
        "Lesson page (signed in)",
        "GET the lessons of the course a scale-data participant is enrolled in",
        0.35,
        signed_in=True,
    ),
    Scenario(
        "mark_done",
        "Mark as done (POST, CSRF)",
        "POST /en/lessons/<id>/done/ with the CSRF token from the lesson page",
        0.25,
        signed_in=True,
        method="POST",
    ),
    Scenario(
        "dashboard",
        "Participant dashboard",
        "GET /en/dashboard/ as a scale-data participant",
        0.35,
        signed_in=True,
    ),
    Scenario(
        "trainer",
        "Trainer cascade page",
        "GET /en/trainer/ as the scale-data trainers with the most cohorts",
        None,
        signed_in=True,
    ),
    Scenario(
        "report",
        "Admin enrolment report",
        "GET the enrolment report in the Wagtail admin as a superuser",
        None,
        signed_in=True,
    ),
)

BY_NAME = {scenario.name: scenario for scenario in SCENARIOS}
