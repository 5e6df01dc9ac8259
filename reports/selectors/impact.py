"""The public impact page's headline numbers."""

from __future__ import annotations

from django.core.cache import cache

from courses.models import CoursePage

from ..cascade import cascade_picture_for, cascade_summary
from ..filters import ReportFilters
from .certificates import certificate_counts
from .enrolments import enrolment_counts
from .scope import enrolment_scope

IMPACT_CACHE_SECONDS = 600


def catalogue_course_count() -> int:
    """The courses the catalogue offers: live course pages, a course and its
    translations once (`courses.selectors.catalogue_courses` shows one entry
    per translation key). One query."""
    return CoursePage.objects.live().values("translation_key").distinct().count()


def impact_numbers() -> dict:
    """Headline numbers, from the same selectors as the reports."""
    everything = ReportFilters()
    by_country = enrolment_counts(everything, by="country")
    certificates = certificate_counts(everything)
    cascade = cascade_summary(everything)
    participants = enrolment_scope(everything).values("user_id").distinct().count()
    return {
        "participants": participants,
        "enrolments": by_country.totals["total"],
        "countries": sum(1 for row in by_country.rows if row["key"]),
        "courses": catalogue_course_count(),
        "certificates": certificates.totals["issued"],
        "cascade_reach": cascade["reach"],
        # Counts and countries only: the page is public.
        "cascade_picture": cascade_picture_for(cascade, course_id=None, names=False),
    }


def impact_numbers_cached(*, language: str) -> dict:
    key = f"reports:impact:{language}"
    numbers = cache.get(key)
    if numbers is None:
        numbers = impact_numbers()
        cache.set(key, numbers, IMPACT_CACHE_SECONDS)
    return numbers
