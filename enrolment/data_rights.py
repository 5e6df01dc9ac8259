"""Enrolment's share of a person's data: in the JSON export, and what
happens to it when the account is deleted (enrolments and progress stay,
anonymous, for the statistics; invitations lose the address)."""

from __future__ import annotations


def _iso(value):
    return value.isoformat() if value else None


def export_enrolment_data(*, user) -> dict:
    from courses.models import QuizAttempt

    from .models import Enrolment, Invitation, LessonProgress

    enrolments = (
        Enrolment.objects.filter(user=user)
        .select_related("course", "cohort")
        .prefetch_related("events")
    )
    progress = LessonProgress.objects.filter(enrolment__user=user).select_related(
        "lesson"
    )
    attempts = QuizAttempt.objects.filter(user=user).select_related("lesson")
    invitations = Invitation.objects.filter(email__iexact=user.email).select_related(
        "cohort__course"
    ) | Invitation.objects.filter(accepted_by=user).select_related("cohort__course")
    return {
        "enrolments": [
            {
                "id": e.pk,
                "course": e.course.title,
                "cohort": e.cohort.name if e.cohort else None,
                "status": e.status,
                "source": e.source,
                "enrolled_at": _iso(e.enrolled_at),
                "completed_at": _iso(e.completed_at),
                "withdrawn_at": _iso(e.withdrawn_at),
                "history": [
                    {"status": ev.status, "note": ev.note, "at": _iso(ev.created_at)}
                    for ev in e.events.all()
                ],
            }
            for e in enrolments
        ],
        "lesson_progress": [
            {
                "enrolment": p.enrolment_id,
                "lesson": p.lesson.title,
                "completed_at": _iso(p.completed_at),
                "quiz_score": p.quiz_score,
            }
            for p in progress
        ],
        "quiz_attempts": [
            {
                "lesson": a.lesson.title,
                "quiz": a.quiz_id,
                "attempt": a.attempt_number,
                "score": a.score,
                "passed": a.passed,
                "answers": a.answers,
                "at": _iso(a.created_at),
            }
            for a in attempts
        ],
        "invitations": [
            {
                "email": i.email,
                "course": i.cohort.course.title,
                "cohort": i.cohort.name,
                "invited_at": _iso(i.created_at),
                "accepted_at": _iso(i.accepted_at),
            }
            for i in invitations.distinct()
        ],
    }


def scrub_invitations(*, user, old_email: str) -> None:
    from django.db.models import Q

    from .models import Invitation

    Invitation.objects.filter(
        Q(email__iexact=old_email) & Q(accepted_at__isnull=True)
    ).delete()
    Invitation.objects.filter(Q(email__iexact=old_email) | Q(accepted_by=user)).update(
        email=user.email
    )
