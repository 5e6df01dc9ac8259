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
    ApprovalRequired,
    CohortFull,
    EnrolmentError,
    InvitationNotYours,
    InvitationRequired,
    InvitationUsed,
    KeyRequired,
    NotEnrolled,
    RequestDecided,
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
from .requests import (
    enrolment_request_approve,
    enrolment_request_create,
    enrolment_request_pending,
    enrolment_request_refuse,
)
from .sync import SyncInputError, progress_sync, sync_batch_parse

__all__ = [
    "AlreadyEnrolled",
    "ApprovalRequired",
    "CohortFull",
    "EnrolmentError",
    "InvitationNotYours",
    "InvitationRequired",
    "InvitationUsed",
    "KeyRequired",
    "NotEnrolled",
    "RequestDecided",
    "SyncInputError",
    "TooManyAttempts",
    "WrongCourse",
    "WrongKey",
    "enrolment_create",
    "enrolment_join_with_key",
    "enrolment_move",
    "enrolment_request_approve",
    "enrolment_request_create",
    "enrolment_request_pending",
    "enrolment_request_refuse",
    "enrolment_withdraw",
    "event_record",
    "invitation_accept",
    "invitation_create",
    "invitation_is_for",
    "invitations_create_bulk",
    "lesson_complete",
    "on_quiz_passed",
    "progress_sync",
    "sync_batch_parse",
]
