"""An invitation opened before signing in is accepted when its visitor
signs in (after verifying their email, since verification is mandatory).
Moving or deleting lessons and modules drops the cached progress figures and
queues a refresh of the enrolments' furthest lesson (the order it depends on
changed) for after the commit; publishing or unpublishing course pages drops
the cached progress figures. None of them works on the database itself.
EnrolmentConfig.ready() connects these receivers to the signals."""

from __future__ import annotations

import logging

from django.contrib import messages
from django.db import transaction
from django.utils.translation import gettext as _

from courses.models import CoursePage, LessonPage, ModulePage
from relais import caching

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


def _page_paths(*pages) -> list[str]:
    return [page.path for page in pages if page is not None]


def refresh_furthest_lesson_on_move(sender, instance, **kwargs):
    """A lesson or module moved: its old and new courses' order changed. The
    refresh is queued for after the commit (no database work here)."""
    from .tasks import refresh_furthest_lesson

    if not issubclass(sender, LessonPage | ModulePage):
        return
    paths = _page_paths(
        kwargs.get("parent_page_before"), kwargs.get("parent_page_after")
    )
    caching.changed("progress")
    transaction.on_commit(lambda: refresh_furthest_lesson.delay(paths))


def refresh_furthest_lesson_on_delete(sender, instance, **kwargs):
    """A lesson deleted: the enrolments that pointed at it were set to NULL
    (its progress rows went with it); their furthest lesson among the rest is
    found after the commit."""
    from .tasks import refresh_furthest_lesson

    paths = [instance.path]
    caching.changed("progress")
    transaction.on_commit(lambda: refresh_furthest_lesson.delay(paths, True))


def progress_changed_on_publish(sender, instance, **kwargs):
    """A course, module or lesson published or unpublished: the figures read
    against the course tree are dropped (a cache version bump only)."""
    if issubclass(sender, CoursePage | ModulePage | LessonPage):
        caching.changed("progress")
