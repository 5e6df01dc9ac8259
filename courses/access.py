"""The one place that decides who may read a lesson, and what a lesson page
shows about the reader's progress.

`courses` knows nothing of enrolments: the enrolment app connects its policy,
its progress provider and its enrolment panel to these hooks in its
AppConfig.ready() (each has one provider: a second one raises). Until then, only
editors (and, on a dev machine, nobody else) may read lessons."""

from __future__ import annotations

from typing import TYPE_CHECKING

from relais.hooks import Hook, SingleHook

if TYPE_CHECKING:
    from .models import CoursePage, LessonPage

# receiver(user, course) -> a grant: anything truthy lets the user read the
# course's lessons (the enrolment app returns the seated enrolment it read).
lesson_access_policy = SingleHook("lesson_access_policy")
# receiver(user, course, lesson, grant) -> dict | None: the reader's progress,
# shown on lesson and course pages (lesson may be None on the course page;
# grant is what the policy returned for this request, or None, so a provider
# can reuse the row the policy read instead of reading it again). Keys:
# done_lesson_ids (set of lesson ids), lessons_done, lessons_total, percent
# (0-100), lesson_done (bool), mark_done_url (POST target for this lesson, or
# None), module_percent ({module_id: percent}), sync_url (POST JSON target
# for progress made offline, or None). reading=False (a phone storing the
# lesson to keep the course, courses/offline.py) records no reading:
# "continue where I left off" stays where the reader was.
lesson_progress_provider = SingleHook("lesson_progress_provider")
# receiver(user, course, request) -> dict | None: what the course page shows
# about joining. Keys: status (None | "active" | "completed" | "withdrawn"),
# enrol_url (POST, open enrolment), key_url (POST, enrolment key form),
# continue_url (the next lesson not done yet), request (True: enrol_url asks
# staff to approve rather than enrols), message (str or ""), login_url (for
# visitors: sign in and come back; no form, so the page stays cacheable);
# for a seated participant no way in, and completed_at, certificate (True:
# the course issues one), withdraw_url.
course_enrolment_panel = SingleHook("course_enrolment_panel")
# receiver(user, lesson, attempt) -> bool: a quiz attempt that passed; True
# when the pass completed the course (the enrolment app's answer).
quiz_passed = Hook("quiz_passed")


def user_is_editor(user) -> bool:
    return bool(
        user.is_authenticated
        and (user.is_superuser or user.has_perm("wagtailadmin.access_admin"))
    )


def lesson_access(user, lesson: LessonPage, course: CoursePage | None = None):
    """What lets `user` read `lesson`: the policy's grant, True for an editor,
    or None when nothing does."""
    if not user.is_authenticated:
        return None
    # The policy first: for an enrolled participant (nearly every lesson view)
    # it answers in one query, and the editor check's two permission queries
    # are not needed.
    course = course or lesson.get_course()
    grant = lesson_access_policy.call(default=None, user=user, course=course)
    if grant:
        return grant
    return True if user_is_editor(user) else None


def can_view_lesson(user, lesson: LessonPage, course: CoursePage | None = None) -> bool:
    return bool(lesson_access(user, lesson, course))
