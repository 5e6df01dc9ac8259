"""The facts a certificate prints: its participant (or attendee), course,
cohort and signatory, read from the current data. They are frozen on the
certificate when it is first issued; only a reissue reads them again."""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import pgettext

from courses.languages import course_in_language

from ..models import Certificate
from .base import ISSUER

# The facts of a certificate whose holder's name was erased.
NAME_REMOVED = {"name": "", "name_removed": True}


def course_wording(course, language: str) -> dict[str, str]:
    """The wording and signatory title printed on a certificate in
    `language`: the course page's own when the page is in that language;
    otherwise nothing of another language's page but the signatory's name
    (a person's name): the renderer prints its translated default wording
    and the title is the translated default. The name stays as written."""
    from courses.languages import shows_source_content

    # An alias (or a translation not published yet) is in the language's
    # tree but shows the source's text: it is not that language's wording.
    if course.locale.language_code == language and not shows_source_content(course):
        return {
            "signatory": course.certificate_signatory,
            "signatory_title": course.certificate_signatory_title,
            "wording": course.certificate_wording,
        }
    title = ""
    if course.certificate_signatory:
        with translation.override(language):
            title = pgettext("certificate", "On behalf of %(issuer)s") % {
                "issuer": ISSUER
            }
    return {
        "signatory": course.certificate_signatory,
        "signatory_title": title,
        "wording": "",
    }


def certificate_language(*, user, course) -> str:
    """The participant's preferred language, else the course page's."""
    codes = {code for code, _name in settings.LANGUAGES}
    preferred = getattr(user, "preferred_language", "") if user else ""
    if preferred in codes:
        return preferred
    language = course.locale.language_code
    return language if language in codes else settings.LANGUAGE_CODE


def certificate_load(*, certificate_id: int) -> Certificate:
    """The certificate and every row its facts need, in one query (either
    kind: the joins of the other kind find nothing)."""
    return Certificate.objects.select_related(
        "enrolment__user",
        "enrolment__course__locale",
        "enrolment__cohort",
        "attendee__session__cohort__course__locale",
        "attendee__session__cohort__trainer",
    ).get(pk=certificate_id)


def certificate_facts(*, certificate: Certificate) -> dict:
    """The facts printed on the certificate, from the current data (load it
    with certificate_load to read them without further queries)."""
    language = certificate.language
    if certificate.kind == Certificate.Kind.ATTENDANCE:
        attendee = certificate.attendee
        assert attendee is not None  # an attendance certificate has one
        session = attendee.session
        cohort = session.cohort
        course = course_in_language(cohort.course, language)
        trainer = cohort.trainer
        return {
            "kind": "attendance",
            **({"name": attendee.name} if attendee.name else NAME_REMOVED),
            "institution": attendee.institution,
            "course": course.title,
            "cascade": course.title,
            "trainer": trainer.display_name if trainer else "",
            "hours": str(session.duration_hours),
            "date": session.held_on.isoformat(),
            "place": session.place,
            "cohort": cohort.name,
            "country": str(cohort.country or ""),
            "signatory": trainer.display_name if trainer else "",
            "signatory_title": "",
            "wording": "",
            "issuer": ISSUER,
        }
    enrolment = certificate.enrolment
    assert enrolment is not None  # a course certificate has one
    user = enrolment.user
    course = course_in_language(enrolment.course, language)
    enrolment_cohort = enrolment.cohort
    completed = enrolment.completed_at or timezone.now()
    return {
        "kind": "course",
        # An anonymised holder's display name would be their placeholder
        # address; the certificate says the name was removed instead.
        **(NAME_REMOVED if user.anonymised_at else {"name": user.display_name}),
        "institution": user.institution,
        "course": course.title,
        "hours": str(course.estimated_hours),
        "date": timezone.localdate(completed).isoformat(),
        "cohort": enrolment_cohort.name if enrolment_cohort else "",
        "country": str(
            user.country or (enrolment_cohort.country if enrolment_cohort else "") or ""
        ),
        **course_wording(course, language),
        "issuer": ISSUER,
    }
