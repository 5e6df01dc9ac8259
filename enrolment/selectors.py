"""Reads about enrolments and progress. Fixed query counts."""

from __future__ import annotations

from collections import defaultdict

from django.db.models import F
from django.db.models.functions import Lower
from django.http import Http404

from courses import selectors as course_selectors

from .models import Enrolment, Invitation, LessonProgress

SEATED = [Enrolment.Status.ACTIVE, Enrolment.Status.COMPLETED]


def _percent(done: int, total: int) -> int:
    return int(done * 100 // total) if total else 0


def enrolment_get_for_user(*, user, pk) -> Enrolment:
    """The gatekeeper: a participant's own enrolment; staff may see any;
    everyone else gets a 404."""
    if not user.is_authenticated:
        raise Http404
    qs = Enrolment.objects.select_related("course", "cohort", "user")
    if not user.is_staff:
        qs = qs.filter(user=user)
    try:
        return qs.get(pk=pk)
    except (Enrolment.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def enrolment_for_course(*, user, course) -> Enrolment | None:
    if not user.is_authenticated:
        return None
    return Enrolment.objects.filter(user=user, course=course).first()


def course_progress(*, outline, done_ids: set[int]) -> dict:
    """Progress per module and for the course, from the course's outline
    (`courses.selectors.course_outline_cached`: its live lessons under live
    modules, the ones a participant can open) and the ids of the lessons done.
    No query of its own."""
    modules = []
    for module in outline:
        ids = [lesson.pk for lesson in module.lessons]
        done = sum(1 for pk in ids if pk in done_ids)
        modules.append(
            {
                "id": module.pk,
                "title": module.title,
                "done": done,
                "total": len(ids),
                "percent": _percent(done, len(ids)),
            }
        )
    done = sum(m["done"] for m in modules)
    total = sum(m["total"] for m in modules)
    return {
        "lessons_done": done,
        "lessons_total": total,
        "percent": _percent(done, total),
        "modules": modules,
        "module_percent": {m["id"]: m["percent"] for m in modules},
    }


def resume_lesson(*, outline, done_ids: set[int], last_lesson_id: int | None):
    """Where "Continue" leads: the first lesson not done yet after the last
    one read (in the outline's order, then from the start), or the last one
    read (else the first) once every lesson is done. An outline entry
    (pk, title, url), or None for a course without lessons."""
    lessons = course_selectors.course_lessons(outline=outline)
    if not lessons:
        return None
    ids = [lesson.pk for lesson in lessons]
    start = ids.index(last_lesson_id) if last_lesson_id in ids else 0
    for lesson in lessons[start:] + lessons[:start]:
        if lesson.pk not in done_ids:
            return lesson
    return lessons[start]


def done_lesson_ids(*, enrolment: Enrolment) -> set[int]:
    return set(
        LessonProgress.objects.filter(
            enrolment=enrolment, completed_at__isnull=False
        ).values_list("lesson_id", flat=True)
    )


def dashboard_for(*, user, request=None) -> dict:
    """Everything the participant's dashboard shows, in a fixed number of
    queries whatever the number of enrolments. Lessons are counted against
    each course's outline (its live lessons under live modules, from the
    cache), as on the lesson and course pages. With the `request`, Wagtail
    reads its site root paths once for all the course URLs (without it, once
    per course)."""
    enrolments = list(
        Enrolment.objects.filter(user=user, status__in=SEATED)
        .select_related("course", "cohort")
        .order_by("-last_activity_at", "-enrolled_at")
    )
    outlines = course_selectors.course_outlines_cached(
        courses=[e.course for e in enrolments]
    )
    done_by_enrolment: dict[int, set[int]] = defaultdict(set)
    for enrolment_id, lesson_id in LessonProgress.objects.filter(
        enrolment__in=[e.pk for e in enrolments], completed_at__isnull=False
    ).values_list("enrolment_id", "lesson_id"):
        done_by_enrolment[enrolment_id].add(lesson_id)
    active, completed = [], []
    for enrolment in enrolments:
        lessons = {
            lesson.pk: lesson
            for module in outlines[enrolment.course_id]
            for lesson in module.lessons
        }
        total = len(lessons)
        lessons_done = len(done_by_enrolment[enrolment.pk] & lessons.keys())
        # "Continue where I left off": the next lesson not done yet after
        # the last one read (an outline entry: title and URL); None before
        # the participant has read any.
        last_lesson = (
            resume_lesson(
                outline=outlines[enrolment.course_id],
                done_ids=done_by_enrolment[enrolment.pk],
                last_lesson_id=enrolment.last_lesson_id,
            )
            if enrolment.last_lesson_id
            else None
        )
        item = {
            "enrolment": enrolment,
            "course": enrolment.course,
            "course_url": enrolment.course.get_url(request),
            "cohort": enrolment.cohort,
            "last_lesson": last_lesson,
            "last_lesson_url": last_lesson.url if last_lesson else None,
            "lessons_done": lessons_done,
            "lessons_total": total,
            "percent": _percent(lessons_done, total),
        }
        if enrolment.status == Enrolment.Status.COMPLETED:
            completed.append(item)
        else:
            active.append(item)
    completed.sort(key=lambda item: item["enrolment"].completed_at, reverse=True)
    invitations = pending_invitations_for(
        user=user, seated_course_ids={e.course_id for e in enrolments}
    )
    return {"active": active, "completed": completed, "invitations": invitations}


def pending_invitations_for(*, user, seated_course_ids: set[int]) -> list[Invitation]:
    """Invitations to the user's email not accepted yet, newest first, except
    to the courses the user already has a seat in (`seated_course_ids`: those
    of their active or completed enrolments). One query; each invitation
    carries `course_id`, `course_title` and `cohort_name`."""
    invitations = (
        Invitation.objects.annotate(
            email_lower=Lower("email"),
            course_id=F("cohort__course_id"),
            course_title=F("cohort__course__title"),
            cohort_name=F("cohort__name"),
        )
        .filter(email_lower=user.email.lower(), accepted_at__isnull=True)
        .order_by("-created_at")
    )
    return [
        invitation
        for invitation in invitations
        if invitation.course_id not in seated_course_ids
    ]


def invitation_get_by_token(*, token: str) -> Invitation:
    if "\x00" in token:
        # No token holds a NUL byte (PostgreSQL refuses one in a query).
        raise Http404
    try:
        return Invitation.objects.select_related("cohort__course").get(token=token)
    except Invitation.DoesNotExist:
        raise Http404 from None


def import_job_progress(*, job, shown: int = 200) -> dict:
    """What an import job's page shows: its progress, how many welcome mails
    went out, and the rows it skipped or refused (the first `shown`)."""
    from django.db.models import Count, Q

    from .models import ImportRow

    counts = ImportRow.objects.filter(job=job).aggregate(
        enrolled=Count("pk", filter=Q(enrolment__isnull=False)),
        mailed=Count("pk", filter=Q(mailed_at__isnull=False)),
        new_accounts=Count("pk", filter=Q(new_user=True)),
    )
    problems = list(
        ImportRow.objects.filter(job=job)
        .exclude(error="")
        .order_by("line")
        .values("line", "email", "error")[:shown]
    )
    return {
        "job": job,
        "percent": _percent(job.done + job.skipped, job.total),
        "mailed": counts["mailed"],
        "enrolled": counts["enrolled"],
        "new_accounts": counts["new_accounts"],
        "problems": problems,
        "problems_not_shown": max(job.skipped - len(problems), 0),
        "finished": job.status in {job.Status.DONE, job.Status.FAILED},
        "mails_pending": counts["enrolled"] - counts["mailed"],
    }
