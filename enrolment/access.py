"""What enrolment answers to the courses' hooks (courses knows nothing of
enrolments): who may read lessons, what progress a lesson or course page
shows, what the course page offers about joining, and what a passed quiz
does. EnrolmentConfig.ready() connects them."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from courses import selectors as course_selectors

SEATED = ("active", "completed")
# How precisely "last activity" is kept: re-reading the same lesson within this
# time writes nothing.
ACTIVITY_RESOLUTION = timedelta(minutes=10)


def seated_enrolment(*, user, course):
    from .models import Enrolment

    return Enrolment.objects.filter(user=user, course=course, status__in=SEATED).first()


def enrolled_policy(*, user, course):
    """The grant to read the course's lessons: the user's active or
    completed enrolment, or None."""
    return seated_enrolment(user=user, course=course)


def progress_provider(
    *, user, course, lesson=None, grant=None, reading=True
) -> dict | None:
    from . import selectors
    from .models import Enrolment

    if not user.is_authenticated:
        return None
    if (
        isinstance(grant, Enrolment)
        and grant.user_id == user.pk
        and grant.course_id == course.pk
    ):
        enrolment = grant  # read by the policy earlier in this request
    else:
        enrolment = seated_enrolment(user=user, course=course)
    if enrolment is None:
        return None
    done_ids = selectors.done_lesson_ids(enrolment=enrolment)
    progress = selectors.course_progress(
        outline=course_selectors.course_outline_cached(course=course),
        done_ids=done_ids,
    )
    if lesson is not None and reading:
        # "Continue where I left off": written only when the reader moved to
        # another lesson or the last activity is stale, not on every view.
        now = timezone.now()
        stale = (
            enrolment.last_activity_at is None
            or now - enrolment.last_activity_at > ACTIVITY_RESOLUTION
        )
        if enrolment.last_lesson_id != lesson.pk or stale:
            Enrolment.objects.filter(pk=enrolment.pk).update(
                last_lesson=lesson, last_activity_at=now
            )
    return {
        "done_lesson_ids": done_ids,
        "lessons_done": progress["lessons_done"],
        "lessons_total": progress["lessons_total"],
        "percent": progress["percent"],
        "lesson_done": lesson is not None and lesson.pk in done_ids,
        "mark_done_url": reverse("lesson_done", kwargs={"lesson_id": lesson.pk})
        if lesson is not None
        else None,
        "module_percent": progress["module_percent"],
        "sync_url": reverse("progress_sync"),
    }


def enrolment_panel(*, user, course, request=None) -> dict:
    from .models import Enrolment
    from .services.errors import InvitationRequired, KeyRequired
    from .services.requests import enrolment_request_pending

    if not user.is_authenticated:
        # Visitors get a sign-in link, not forms: no CSRF token in the page,
        # so the anonymous course page can be cached (relais/page_cache.py).
        here = request.get_full_path() if request is not None else course.url
        return {
            "status": None,
            "enrol_url": None,
            "key_url": None,
            "continue_url": None,
            "message": "",
            "withdraw_url": None,
            "login_url": f"{reverse('account_login')}?{urlencode({'next': here})}",
        }
    from . import selectors

    enrolment = Enrolment.objects.filter(user=user, course=course).first()
    if enrolment is not None and enrolment.status in SEATED:
        # Enrolled or completed: the state and the way on, not the ways in.
        lesson = selectors.resume_lesson(
            outline=course_selectors.course_outline_cached(course=course),
            done_ids=selectors.done_lesson_ids(enrolment=enrolment),
            last_lesson_id=enrolment.last_lesson_id,
        )
        return {
            "status": enrolment.status,
            "enrol_url": None,
            "request": False,
            "key_url": None,
            "continue_url": lesson.url if lesson is not None else None,
            "message": "",
            "completed_at": enrolment.completed_at,
            "certificate": course.certificate_enabled,
            "withdraw_url": reverse("enrolment_withdraw", kwargs={"pk": enrolment.pk}),
        }
    # Not enrolled, or withdrawn: the ways in the course's enrolment mode
    # leaves to the participant; a closed course says how to get in instead
    # of offering a button.
    message = ""
    asks = course.needs_approval
    if asks and enrolment_request_pending(user=user, course=course) is not None:
        message = _("Your request to join is waiting for the staff's approval.")
        asks = False
    elif asks:
        message = _("The programme staff approve requests to join this course.")
    elif not course.allows_enrolment_key:
        message = str(InvitationRequired.default_message)
    elif not course.allows_self_enrolment:
        message = str(KeyRequired.default_message)
    return {
        "status": enrolment.status if enrolment is not None else None,
        "enrol_url": reverse("course_enrol", kwargs={"course_id": course.pk})
        if course.allows_self_enrolment or asks
        else None,
        "request": asks,
        "key_url": reverse("enrol_key") if course.allows_enrolment_key else None,
        "continue_url": None,
        "message": message,
        "withdraw_url": None,
    }


def quiz_passed(*, user, lesson, attempt) -> bool:
    from .services import on_quiz_passed

    return on_quiz_passed(user=user, lesson=lesson, attempt=attempt)
