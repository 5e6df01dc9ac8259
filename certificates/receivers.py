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


def participant_certificate_status(*, enrolment_ids, **kwargs) -> dict[int, str]:
    """Certificate status per enrolment, for the trainer's participants table
    (cascades.hooks.participant_certificate_status). One query."""
    from .models import Certificate

    return dict(
        Certificate.objects.filter(enrolment_id__in=list(enrolment_ids)).values_list(
            "enrolment_id", "status"
        )
    )


def attendee_certificate_status(*, attendee_ids, **kwargs) -> dict[int, str]:
    """Certificate status per session attendee
    (cascades.hooks.attendee_certificate_status). One query."""
    from .models import Certificate

    return dict(
        Certificate.objects.filter(attendee_id__in=list(attendee_ids)).values_list(
            "attendee_id", "status"
        )
    )


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
    """The holder deleted their account: the certificate stays (code, course,
    dates, status: verification still answers), but their name leaves the
    frozen facts and the PDF that printed it is deleted
    (accounts.hooks.user_anonymised, inside the anonymising transaction)."""
    from django.core.files.storage import storages
    from django.utils import timezone

    from .models import Certificate, CertificateEvent

    for certificate in Certificate.objects.select_for_update().filter(user=user):
        facts = dict(certificate.facts or {})
        facts["name"] = ""
        facts["name_removed"] = True
        pdf_name = certificate.pdf.name if certificate.pdf else ""
        if pdf_name:
            storages["private"].delete(pdf_name)
        certificate.facts = facts
        certificate.pdf = ""
        certificate.save(update_fields=["facts", "pdf"])
        CertificateEvent.objects.create(
            certificate=certificate,
            action="anonymised",
            detail="The holder deleted their account; name and PDF removed.",
            pdf_name=pdf_name,
            created_at=timezone.now(),
        )
