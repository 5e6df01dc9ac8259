"""An invitation opened before signing in is accepted when its visitor
signs in (after verifying their email, since verification is mandatory)."""

from __future__ import annotations

import logging

from django.contrib import messages
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)


@receiver(user_logged_in, dispatch_uid="enrolment_accept_invitation_on_login")
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
