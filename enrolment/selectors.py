"""Reads about enrolments and progress. Fixed query counts."""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Count, Exists, OuterRef
from django.db.models.functions import Lower, Substr
from django.http import Http404

from courses.models import CoursePage, LessonPage

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


def done_lesson_ids(*, enrolment: Enrolment) -> set[int]:
    return set(
        LessonProgress.objects.filter(
            enrolment=enrolment, completed_at__isnull=False
        ).values_list("lesson_id", flat=True)
    )


def _lesson_totals(courses: list[CoursePage]) -> dict[int, int]:
    """Live lessons per course, one query per distinct course depth (in
    practice one: every course sits at the same depth)."""
    totals: dict[int, int] = {}
    by_depth: dict[int, dict[str, int]] = defaultdict(dict)
    for course in courses:
        by_depth[course.depth][course.path] = course.pk
    for depth, paths in by_depth.items():
        length = depth * LessonPage.steplen
        rows = (
            LessonPage.objects.live()
            .annotate(course_path=Substr("path", 1, length))
            .filter(course_path__in=list(paths), depth=depth + 2)
            .order_by()
            .values("course_path")
            .annotate(n=Count("pk"))
        )
        for row in rows:
            totals[paths[row["course_path"]]] = row["n"]
    return totals


def dashboard_for(*, user) -> dict:
    """Everything the participant's dashboard shows, in a fixed number of
    queries whatever the number of enrolments."""
    enrolments = list(
        Enrolment.objects.filter(user=user, status__in=SEATED)
        .select_related("course", "cohort", "last_lesson")
        .order_by("-last_activity_at", "-enrolled_at")
    )
    totals = _lesson_totals([e.course for e in enrolments])
    done = dict(
        LessonProgress.objects.filter(
            enrolment__in=[e.pk for e in enrolments],
            completed_at__isnull=False,
            lesson__live=True,
        )
        .values("enrolment_id")
        .annotate(n=Count("pk"))
        .values_list("enrolment_id", "n")
    )
    active, completed = [], []
    for enrolment in enrolments:
        total = totals.get(enrolment.course_id, 0)
        lessons_done = min(done.get(enrolment.pk, 0), total)
        item = {
            "enrolment": enrolment,
            "course": enrolment.course,
            "cohort": enrolment.cohort,
            "last_lesson": enrolment.last_lesson
            if enrolment.last_lesson and enrolment.last_lesson.live
            else None,
            "lessons_done": lessons_done,
            "lessons_total": total,
            "percent": _percent(lessons_done, total),
        }
        if enrolment.status == Enrolment.Status.COMPLETED:
            completed.append(item)
        else:
            active.append(item)
    completed.sort(key=lambda item: item["enrolment"].completed_at, reverse=True)
    invitations = list(pending_invitations_for(user=user))
    return {"active": active, "completed": completed, "invitations": invitations}


def pending_invitations_for(*, user):
    enrolled = Enrolment.objects.filter(
        user=user, course=OuterRef("cohort__course"), status__in=SEATED
    )
    return (
        Invitation.objects.annotate(email_lower=Lower("email"))
        .filter(email_lower=user.email.lower(), accepted_at__isnull=True)
        .exclude(Exists(enrolled))
        .select_related("cohort__course")
        .order_by("-created_at")
    )


def invitation_get_by_token(*, token: str) -> Invitation:
    try:
        return Invitation.objects.select_related("cohort__course").get(token=token)
    except Invitation.DoesNotExist:
        raise Http404 from None
