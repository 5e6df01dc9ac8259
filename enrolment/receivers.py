"""An invitation opened before signing in is accepted when its visitor
signs in (after verifying their email, since verification is mandatory).
Moving or deleting lessons and modules refreshes the enrolments' furthest
lesson (the order it depends on changed). EnrolmentConfig.ready() connects
these receivers to the signals."""

from __future__ import annotations

import logging

from django.contrib import messages
from django.utils.translation import gettext as _

from courses.models import CoursePage, LessonPage, ModulePage

logger = logging.getLogger(__name__)


def accept_invitation_on_login(sender, request, user, **kwargs):
    from .models import Invitation
    from .services import EnrolmentError, invitation_accept
    from .views import INVITATION_SESSION_KEY

    if request is None or not hasattr(request, "session"):
        return
    token = request.session.pop(INVITATION_SESSION_KEY, None)
    if not token:
        return
    invitation = Invitation.objects.filter(token=token).select_related("cohort").first()
    if invitation is None:
        return
    try:
        invitation_accept(invitation=invitation, user=user)
    except EnrolmentError as exc:
        messages.error(request, exc.message)
        return
    messages.success(
        request,
        _("You joined “%(cohort)s”.") % {"cohort": invitation.cohort.name},
    )


def _courses_around(*paths: str) -> list[int]:
    """The courses whose subtree holds any of these page paths."""
    steplen = CoursePage.steplen
    prefixes = {
        path[:end] for path in paths for end in range(steplen, len(path) + 1, steplen)
    }
    return list(
        CoursePage.objects.filter(path__in=prefixes).values_list("pk", flat=True)
    )


def refresh_furthest_lesson_on_move(sender, instance, **kwargs):
    """A lesson or module moved: its old and new courses' order changed."""
    from .services.progress import furthest_lesson_refresh

    if not issubclass(sender, LessonPage | ModulePage):
        return
    before, after = kwargs.get("parent_page_before"), kwargs.get("parent_page_after")
    course_ids = _courses_around(*(p.path for p in (before, after) if p is not None))
    if course_ids:
        furthest_lesson_refresh(course_ids=course_ids)


def refresh_furthest_lesson_on_delete(sender, instance, **kwargs):
    """A lesson deleted: the enrolments that pointed at it were set to NULL
    (its progress rows went with it); find their furthest lesson among the
    rest."""
    from .services.progress import furthest_lesson_refresh

    course_ids = _courses_around(instance.path)
    if course_ids:
        furthest_lesson_refresh(course_ids=course_ids, only_missing=True)
