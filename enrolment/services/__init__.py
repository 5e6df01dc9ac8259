"""Enrolment services: everything that changes a learner's state.

Split by topic (enrolments, progress, invitations, imports); import from
here: `from enrolment.services import enrolment_create`."""

from .enrolments import (
    enrolment_create,
    enrolment_join_with_key,
    enrolment_move,
    enrolment_withdraw,
    event_record,
)
from .errors import (
    AlreadyEnrolled,
    CohortFull,
    EnrolmentError,
    InvitationNotYours,
    InvitationRequired,
    InvitationUsed,
    KeyRequired,
    NotEnrolled,
    TooManyAttempts,
    WrongCourse,
    WrongKey,
)
from .invitations import (
    invitation_accept,
    invitation_create,
    invitation_is_for,
    invitations_create_bulk,
)
from .progress import lesson_complete, on_quiz_passed

__all__ = [
    "AlreadyEnrolled",
    "CohortFull",
    "EnrolmentError",
    "InvitationNotYours",
    "InvitationRequired",
    "InvitationUsed",
    "KeyRequired",
    "NotEnrolled",
    "TooManyAttempts",
    "WrongCourse",
    "WrongKey",
    "enrolment_create",
    "enrolment_join_with_key",
    "enrolment_move",
    "enrolment_withdraw",
    "event_record",
    "invitation_accept",
    "invitation_create",
    "invitation_is_for",
    "invitations_create_bulk",
    "lesson_complete",
    "on_quiz_passed",
]
