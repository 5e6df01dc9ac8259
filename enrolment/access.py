"""Connects enrolment to the courses' lesson-access hook (filled in by the
enrolment issue): an active or completed enrolment opens a course's lessons."""

from courses import access as course_access


def _enrolled_policy(*, user, course) -> bool:
    from .models import Enrolment

    return Enrolment.objects.filter(
        user=user,
        course=course,
        status__in=[Enrolment.Status.ACTIVE, Enrolment.Status.COMPLETED],
    ).exists()


course_access.lesson_access_policy.connect(_enrolled_policy)
