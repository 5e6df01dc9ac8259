"""Bulk CSV import: validate against the database, then write all or
nothing. Parsing and the rules are in enrolment.imports (pure)."""

from __future__ import annotations

from collections import defaultdict

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import translation

from accounts.models import User

from .. import emails, imports
from ..models import Cohort, Enrolment
from .enrolments import SEATED, enrolment_create


def import_validate(
    *, data: bytes, default_cohort_id: int | None = None
) -> list[imports.Row]:
    """Parse and check every row (raises imports.ImportRefused for the whole
    file). A fixed number of queries, whatever the number of rows."""
    rows = imports.parse(data)
    cohorts = [
        imports.CohortInfo(
            id=c.pk,
            name=c.name,
            course_id=c.course_id,
            capacity=c.capacity,
            seated=c.seated,
        )
        for c in Cohort.objects.annotate(
            seated=Count("enrolments", filter=Q(enrolments__status__in=SEATED))
        ).only("id", "name", "course_id", "capacity")
    ]
    emails_lower = {r.email.strip().lower() for r in rows if r.email.strip()}
    users = dict(
        User.objects.annotate(email_lower=Lower("email"))
        .filter(email_lower__in=emails_lower)
        .values_list("email_lower", "pk")
    )
    seated: dict[int, set[int]] = defaultdict(set)
    for user_id, course_id in Enrolment.objects.filter(
        user_id__in=list(users.values()), status__in=SEATED
    ).values_list("user_id", "course_id"):
        seated[user_id].add(course_id)
    return imports.validate_rows(
        rows,
        cohorts=cohorts,
        default_cohort_id=default_cohort_id,
        users_by_email=users,
        seated_course_ids_by_user=seated,
    )


def _set_password_url(user: User) -> str:
    from allauth.account.forms import default_token_generator
    from allauth.account.utils import user_pk_to_url_str

    with translation.override(user.preferred_language or settings.LANGUAGE_CODE):
        path = reverse(
            "account_reset_password_from_key",
            kwargs={
                "uidb36": user_pk_to_url_str(user),
                "key": default_token_generator.make_token(user),
            },
        )
    return settings.SITE_URL + path


def _send_import_mail(*, enrolment_id: int, new_user: bool) -> None:
    enrolment = (
        Enrolment.objects.select_related("user", "cohort", "course")
        .filter(pk=enrolment_id)
        .first()
    )
    if enrolment is None:
        return
    user = enrolment.user
    emails.send_templated(
        to=user.email,
        name="imported",
        language=user.preferred_language
        or (enrolment.cohort.language if enrolment.cohort else ""),
        context={
            "course": enrolment.course,
            "cohort": enrolment.cohort,
            "set_password_url": _set_password_url(user) if new_user else "",
            "login_url": settings.SITE_URL + reverse("account_login"),
        },
    )


@transaction.atomic
def import_commit(
    *, data: bytes, default_cohort_id: int | None = None, actor
) -> list[imports.Row]:
    """Re-validate the stored upload and, if every row is good, write all of
    it in one transaction. Returns the rows; if any has errors, nothing is
    written."""
    rows = import_validate(data=data, default_cohort_id=default_cohort_id)
    if not all(r.ok for r in rows):
        return rows
    cohorts: dict[int | None, Cohort] = {
        c.pk: c
        for c in Cohort.objects.select_related("course").filter(
            pk__in={r.cohort_id for r in rows}
        )
    }
    for row in rows:
        new_user = row.user_id is None
        if new_user:
            from allauth.account.models import EmailAddress

            user = User(
                email=row.email.strip(),
                first_name=row.first_name,
                last_name=row.last_name,
                country=row.country,
                institution=row.institution,
            )
            user.set_unusable_password()
            user.save()
            EmailAddress.objects.create(
                user=user, email=user.email, verified=False, primary=True
            )
            row.user_id = user.pk
        else:
            user = User.objects.get(pk=row.user_id)
        cohort = cohorts[row.cohort_id]
        enrolment = enrolment_create(
            user=user,
            course=cohort.course,
            cohort=cohort,
            source=Enrolment.Source.IMPORT,
            actor=actor,
        )
        transaction.on_commit(
            lambda pk=enrolment.pk, new=new_user: _send_import_mail(  # type: ignore[misc]
                enrolment_id=pk, new_user=new
            )
        )
    return rows
