"""State changes of the cascade: qualifications, trainer cohorts and their
place in the tree, invitations, in-person sessions, attendance certificates.

Every service that changes what a cascade's reach counts announces
`relais.caching.changed("cascades")` (docs/cascades.md)."""

from .checkin import (
    CheckIn,
    SheetResult,
    attendee_check_in,
    checkin_close,
    checkin_code_ensure,
    checkin_day_end,
    checkin_enter_url,
    checkin_is_open,
    checkin_open,
    checkin_url,
    normalise_checkin_code,
    session_attendees_add,
)
from .cohorts import (
    InviteResult,
    cohort_invite,
    cohort_invite_emails,
    cohort_open,
    enrolment_key_generate,
    invitations_left_today,
    trainer_require_delivering,
)
from .qualifications import (
    qualification_grant,
    qualification_withdraw,
    qualifications_from_completion,
    trainer_may_deliver,
)
from .sessions import attendance_certificates_request, session_record
from .tree import (
    cascade_tree_rebuild,
    cohort_place,
    cohort_saved_in_admin,
    cohort_set_parent,
)

__all__ = [
    "CheckIn",
    "attendee_check_in",
    "checkin_close",
    "checkin_code_ensure",
    "checkin_day_end",
    "checkin_enter_url",
    "checkin_is_open",
    "checkin_open",
    "checkin_url",
    "normalise_checkin_code",
    "SheetResult",
    "session_attendees_add",
    "InviteResult",
    "attendance_certificates_request",
    "cascade_tree_rebuild",
    "cohort_invite",
    "cohort_invite_emails",
    "cohort_open",
    "cohort_place",
    "cohort_saved_in_admin",
    "cohort_set_parent",
    "enrolment_key_generate",
    "invitations_left_today",
    "qualification_grant",
    "qualification_withdraw",
    "qualifications_from_completion",
    "session_record",
    "trainer_may_deliver",
    "trainer_require_delivering",
]
