"""What a participant is told on completing a course, whichever step
completed it (the last "Mark as done" or a passed quiz)."""

from __future__ import annotations

from django.contrib import messages
from django.utils.translation import gettext as _

from .models import CoursePage

# The extra tag of the message that points to the certificate: base.html
# follows it with a link to the dashboard.
CERTIFICATE_TAG = "certificate"


def course_completed_messages(request, *, course: CoursePage) -> None:
    messages.success(request, _("Congratulations: you completed the course!"))
    if course.certificate_enabled:
        messages.info(
            request,
            _(
                "Your certificate is being prepared: it will be on your dashboard "
                "in a few moments, and we will email it to you."
            ),
            extra_tags=CERTIFICATE_TAG,
        )
