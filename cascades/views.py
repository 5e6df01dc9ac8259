"""The trainer workspace (/trainer/). Every view that takes an id goes through
a gatekeeper in selectors (404 for anyone else's cohort or session)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import F
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from courses.languages import local_title as translated_title
from courses.models import CoursePage

from . import selectors, services
from .checkin_views import checkin_panel
from .forms import CohortOpenForm, InviteForm, SessionForm
from .picture import cascade_picture
from .timeline import reach_timeline


def _add_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for name, errors in exc.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


@login_required
def trainer_home(request):
    user = request.user
    qualifications, withdrawn = selectors.trainer_qualification_record(
        user=user, language=request.LANGUAGE_CODE
    )
    cohorts, reach = selectors.trainer_summary(user=user)
    return render(
        request,
        "cascades/trainer_home.html",
        {
            "qualifications": qualifications,
            "withdrawn": withdrawn,
            "cohorts": cohorts,
            "reach": reach,
        },
    )


@login_required
def cascade(request):
    user = request.user
    reach = selectors.trainer_reach_cached(user=user)
    roots, truncated = selectors.cascade_tree(trainer=user)
    drawn = cascade_picture(
        roots=roots,
        cohort_reach=reach.by_cohort,
        generation_reach={g: f.reached for g, f in reach.by_generation.items()},
        names=True,
        truncated=truncated,
    )
    over_time = selectors.trainer_reach_over_time_cached(user=user)
    return render(
        request,
        "cascades/cascade.html",
        {
            "reach": reach,
            "roots": roots,
            "truncated": truncated,
            "picture": drawn,
            "over_time": over_time,
            "timeline": reach_timeline(over_time),
        },
    )


def _deliverable_courses(user, language: str):
    """The courses the user may open cohorts of, each with `local_title`:
    its translation's title in `language` where there is one."""
    local_title = translated_title(key_of="translation_key", language=language)
    return (
        CoursePage.objects.filter(
            qualified_trainers__user=user,
            qualified_trainers__withdrawn_at__isnull=True,
        )
        .annotate(local_title=Coalesce(local_title, F("title")))
        .order_by("title")
    )


@login_required
def cohort_open(request):
    courses = _deliverable_courses(request.user, request.LANGUAGE_CODE)
    if not courses.exists():
        raise Http404
    form = CohortOpenForm(
        request.POST or None,
        courses=courses,
        initial={
            "country": request.user.country,
            "institution": request.user.institution,
            "language": request.LANGUAGE_CODE,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            cohort = services.cohort_open(trainer=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(
                request, _("Cohort “%(name)s” is open.") % {"name": cohort.name}
            )
            return redirect("trainer_cohort", pk=cohort.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "cascades/cohort_open.html", {"form": form}, status=status)


@login_required
def cohort_detail(request, pk: int):
    cohort = selectors.cohort_get_for_trainer(user=request.user, pk=pk)
    return _render_cohort(request, cohort, invite_form=InviteForm())


def _render_cohort(request, cohort, *, invite_form, status=200):
    join_url = request.build_absolute_uri(reverse("enrol_key"))
    if cohort.enrolment_key:
        join_url += "?" + urlencode({"key": cohort.enrolment_key})
    return render(
        request,
        "cascades/cohort_detail.html",
        {
            "cohort": cohort,
            "participants": selectors.cohort_participants(cohort=cohort),
            "sessions": selectors.cohort_sessions(cohort=cohort),
            "invite_form": invite_form,
            "join_url": join_url,
        },
        status=status,
    )


def _over_limit_message(emails: list[str]) -> str:
    return _(
        "Not invited, past the limit of %(limit)d invitations in 24 hours: "
        "%(emails)s. Invite them again later."
    ) % {
        "limit": settings.RELAIS_TRAINER_INVITATIONS_PER_DAY,
        "emails": ", ".join(emails),
    }


@require_POST
@login_required
def cohort_invite(request, pk: int):
    cohort = selectors.cohort_get_for_trainer(user=request.user, pk=pk)
    form = InviteForm(request.POST)
    if form.is_valid():
        try:
            result = services.cohort_invite(
                cohort=cohort, text=form.cleaned_data["emails"], invited_by=request.user
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            if result.invalid:
                form.add_error(
                    "emails",
                    _("Not valid email addresses (nobody was invited): %(emails)s")
                    % {"emails": ", ".join(result.invalid)},
                )
            else:
                if result.invited:
                    messages.success(
                        request,
                        _("Invited: %(emails)s")
                        % {"emails": ", ".join(result.invited)},
                    )
                if result.already_invited:
                    messages.info(
                        request,
                        _("Already invited before: %(emails)s")
                        % {"emails": ", ".join(result.already_invited)},
                    )
                if result.over_limit:
                    messages.warning(request, _over_limit_message(result.over_limit))
                if result.duplicates:
                    messages.info(
                        request,
                        _("Listed more than once (invited once): %(emails)s")
                        % {"emails": ", ".join(result.duplicates)},
                    )
                return redirect("trainer_cohort", pk=cohort.pk)
    return _render_cohort(request, cohort, invite_form=form, status=400)


@login_required
def participant_detail(request, pk: int, enrolment_pk: int):
    cohort = selectors.cohort_get_for_trainer(user=request.user, pk=pk)
    enrolment = selectors.enrolment_get_for_trainer(
        user=request.user, cohort=cohort, pk=enrolment_pk
    )
    return render(
        request,
        "cascades/participant_detail.html",
        {
            "cohort": cohort,
            "enrolment": enrolment,
            "progress": selectors.participant_progress(enrolment=enrolment),
        },
    )


@login_required
def session_record(request, pk: int):
    cohort = selectors.cohort_get_for_trainer(user=request.user, pk=pk)
    form = SessionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            session = services.session_record(
                cohort=cohort, recorded_by=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("The session is recorded."))
            if session.not_invited:
                messages.warning(request, _over_limit_message(session.not_invited))
            return redirect("trainer_session", pk=session.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "cascades/session_form.html",
        {"cohort": cohort, "form": form},
        status=status,
    )


@login_required
def session_detail(request, pk: int):
    session = selectors.session_get_for_trainer(user=request.user, pk=pk)
    return render(
        request,
        "cascades/session_detail.html",
        {
            "session": session,
            "cohort": session.cohort,
            "attendees": selectors.session_attendees(session=session),
            "checkin": checkin_panel(request, session),
        },
    )


@require_POST
@login_required
def session_certificates(request, pk: int):
    session = selectors.session_get_for_trainer(user=request.user, pk=pk)
    try:
        certificates = services.attendance_certificates_request(
            session=session, requested_by=request.user
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("Attendance certificates requested for %(n)d attendees.")
            % {"n": len(certificates)},
        )
    return redirect("trainer_session", pk=session.pk)
