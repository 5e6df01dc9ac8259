"""Reads of the cascade: a trainer's cohorts and participants (behind one
gatekeeper per object kind), the reach of cascades, the tree picture and
the cached trainer summary. Callers import from here."""

from .access import (
    attendee_get_for_trainer,
    cohort_get_for_trainer,
    delivering,
    enrolment_get_for_trainer,
    session_get_for_trainer,
    trainer_own_cohorts,
)
from .checkin import checkin_attendees, checkin_session_by_code
from .over_time import (
    Month,
    ReachOverTime,
    programme_reach_over_time,
    trainer_reach_over_time,
    trainer_reach_over_time_cached,
)
from .reach import (
    CourseCascade,
    Figures,
    Reach,
    cascade_reach_by_course,
    cascade_reach_for_trainer,
    trainer_cascade_cohorts,
)
from .summary import (
    TRAINER_SUMMARY_SECONDS,
    CohortRow,
    trainer_reach_cached,
    trainer_summary,
)
from .tree import TreeNode, cascade_tree
from .workspace import (
    AttendeeRow,
    ParticipantRow,
    cohort_participants,
    cohort_sessions,
    course_lesson_count,
    participant_progress,
    session_attendees,
    session_headcount,
    trainer_cohorts,
    trainer_is_qualified,
    trainer_qualification_record,
    trainer_qualifications,
)

__all__ = [
    "TRAINER_SUMMARY_SECONDS",
    "AttendeeRow",
    "attendee_get_for_trainer",
    "CohortRow",
    "CourseCascade",
    "Month",
    "ReachOverTime",
    "programme_reach_over_time",
    "trainer_reach_over_time",
    "trainer_reach_over_time_cached",
    "Figures",
    "ParticipantRow",
    "Reach",
    "TreeNode",
    "cascade_reach_by_course",
    "cascade_reach_for_trainer",
    "cascade_tree",
    "checkin_attendees",
    "checkin_session_by_code",
    "cohort_get_for_trainer",
    "cohort_participants",
    "cohort_sessions",
    "delivering",
    "course_lesson_count",
    "enrolment_get_for_trainer",
    "participant_progress",
    "session_attendees",
    "session_get_for_trainer",
    "session_headcount",
    "trainer_cascade_cohorts",
    "trainer_cohorts",
    "trainer_is_qualified",
    "trainer_own_cohorts",
    "trainer_qualification_record",
    "trainer_qualifications",
    "trainer_reach_cached",
    "trainer_summary",
]
