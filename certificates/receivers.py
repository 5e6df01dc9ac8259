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
                or (c.enrolment.course.title if c.enrolment_id else ""),
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
