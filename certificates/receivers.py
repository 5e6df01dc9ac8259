"""What certificates plugs into enrolment's hooks (connected in apps.py)."""

from __future__ import annotations

from .selectors import certificates_for_user
from .services import on_course_completed


def course_completed(*, enrolment, **kwargs):
    return on_course_completed(enrolment=enrolment)


def dashboard_section(*, request, user, **kwargs):
    return [
        (
            "certificates/dashboard_section.html",
            {"certificates": certificates_for_user(user=user)},
        )
    ]


def status_label(status: str) -> str:
    """A certificate status as a reader sees it ("Issued"), in the active
    language."""
    from .models import Certificate

    return str(Certificate.Status(status).label)


def participant_certificate_status(*, enrolment_ids, **kwargs) -> dict[int, str]:
    """Certificate status per enrolment, for the trainer's participants table
    (cascades.hooks.participant_certificate_status). One query."""
    from .models import Certificate

    return {
        enrolment_id: status_label(status)
        for enrolment_id, status in Certificate.objects.filter(
            enrolment_id__in=list(enrolment_ids)
        ).values_list("enrolment_id", "status")
    }


def attendee_certificate_status(*, attendee_ids, **kwargs) -> dict[int, str]:
    """Certificate status per session attendee
    (cascades.hooks.attendee_certificate_status). One query."""
    from .models import Certificate

    return {
        attendee_id: status_label(status)
        for attendee_id, status in Certificate.objects.filter(
            attendee_id__in=list(attendee_ids)
        ).values_list("attendee_id", "status")
    }


def user_data_export(*, user, **kwargs) -> dict:
    """The user's certificates in their JSON data export
    (accounts.hooks.user_data_export)."""
    return {
        "certificates": [
            {
                "code": c.code,
                "kind": c.kind,
                "status": c.status,
                "course": c.facts.get("course")
                or (c.enrolment.course.title if c.enrolment else ""),
                "completed_on": c.facts.get("date"),
                "language": c.language,
                "created_at": c.created_at.isoformat(),
                "issued_at": c.issued_at.isoformat() if c.issued_at else None,
                "revoked_at": c.revoked_at.isoformat() if c.revoked_at else None,
                "revoked_reason": c.revoked_reason,
            }
            for c in certificates_for_user(user=user)
        ]
    }


def user_anonymised(*, user, old_email, **kwargs) -> None:
    """The holder deleted their account: the certificates stay (code, course,
    dates, status: verification still answers), but their name leaves the
    frozen facts and every stored file that printed it goes: each PDF version
    and their cohorts' ZIPs (accounts.hooks.user_anonymised, inside the
    anonymising transaction; services/erase.py)."""
    from .models import Certificate
    from .services import certificate_events_scrub_address, certificates_erase_names

    certificates = Certificate.objects.filter(user=user)
    certificates_erase_names(
        certificates=certificates,
        detail="The holder deleted their account; name and PDF removed.",
    )
    certificate_events_scrub_address(certificates=certificates, address=user.email)


def attendees_anonymised(*, attendee_ids, **kwargs) -> None:
    """Their names were erased (cascades.hooks.attendees_anonymised, inside
    the same transaction): so are their attendance certificates'."""
    from .models import Certificate
    from .services import certificate_events_scrub_address, certificates_erase_names

    certificates = Certificate.objects.filter(attendee_id__in=list(attendee_ids))
    certificates_erase_names(
        certificates=certificates,
        detail="The attendee's name was erased (their account was deleted).",
    )
    certificate_events_scrub_address(certificates=certificates, address="")


def pdf_text(
    *, canvas, x, y, text: str, size: float, align: str, width, rtl: bool, **kwargs
) -> None:
    """One line of the sign-in sheet in the certificates' fonts: any script,
    right-to-left lines in visual order (cascades.hooks.pdf_text)."""
    from .rendering.text import draw, fit, layout

    line = layout(text, "R" if rtl else None)
    if width is not None:
        size = fit(line, size, width)
    side = {
        "centre": "centre",
        "start": "right" if rtl else "left",
        "end": "left" if rtl else "right",
    }[align]
    draw(canvas, x, y, line, size, align=side)
