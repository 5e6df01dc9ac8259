"""Exceptions the enrolment services raise. Each carries a message fit to
show the participant."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _


class EnrolmentError(Exception):
    default_message = _("This enrolment is not possible.")

    def __init__(self, message=None, *, enrolment=None):
        self.message = message or self.default_message
        self.enrolment = enrolment
        super().__init__(str(self.message))


class CohortFull(EnrolmentError):
    default_message = _("This cohort is full.")


class AlreadyEnrolled(EnrolmentError):
    default_message = _("You are already enrolled in this course.")


class WrongKey(EnrolmentError):
    default_message = _("This enrolment key is not valid.")


class TooManyAttempts(EnrolmentError):
    default_message = _("Too many wrong keys. Please wait a few minutes and try again.")


class WrongCourse(EnrolmentError):
    default_message = _("This cohort belongs to another course.")


class NotEnrolled(EnrolmentError):
    default_message = _("You are not enrolled in this course.")


class InvitationUsed(EnrolmentError):
    default_message = _("This invitation has already been used by someone else.")


class InvitationNotYours(EnrolmentError):
    default_message = _(
        "This invitation was sent to another email address. Sign in with the "
        "address it was sent to (or add that address to your account) to accept it."
    )


class KeyRequired(EnrolmentError):
    default_message = _(
        "This course is not open for enrolment: join it with the enrolment key "
        "or the invitation your trainer or the programme staff gave you."
    )


class InvitationRequired(EnrolmentError):
    default_message = _(
        "This course is by invitation only: join it through the invitation "
        "sent to your email address."
    )


class ApprovalRequired(EnrolmentError):
    default_message = _(
        "This course takes requests: ask to join on its page, and the programme "
        "staff will approve your request."
    )


class RequestDecided(EnrolmentError):
    default_message = _("This request has already been answered.")
