"""The trainer's review of a session's attendee list: add, fix or remove an
entry, then confirm the list (which certifies the attendees with an email).
Every view goes through the session's gatekeeper, and the attendee's (404
for anyone else's session, or an attendee of another session)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from . import selectors
from .forms import AttendeeForm
from .services import attendees as attendee_services
from .views import _add_errors


def _counts_message(session) -> str:
    return _(
        "The head counts were raised to cover the listed attendees: "
        "%(w)d women, %(m)d men, %(o)d other or not stated."
    ) % {
        "w": session.participants_women,
        "m": session.participants_men,
        "o": session.participants_other,
    }


def _render_form(request, session, form, *, attendee=None, status=200):
    return render(
        request,
        "cascades/attendee_form.html",
        {
            "session": session,
            "cohort": session.cohort,
            "form": form,
            "attendee": attendee,
        },
        status=status,
    )


@login_required
def attendee_add(request, pk: int):
    session = selectors.session_get_for_trainer(user=request.user, pk=pk)
    form = AttendeeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            attendee, raised = attendee_services.attendee_add(
                session=session, added_by=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(
                request, _("%(name)s is added to the list.") % {"name": attendee.name}
            )
            if raised:
                session.refresh_from_db()
                messages.info(request, _counts_message(session))
            return redirect("trainer_session", pk=session.pk)
    status = 400 if request.method == "POST" else 200
    return _render_form(request, session, form, status=status)


@login_required
def attendee_edit(request, pk: int, attendee_pk: int):
    session = selectors.session_get_for_trainer(user=request.user, pk=pk)
    attendee = selectors.attendee_get_for_trainer(
        user=request.user, session=session, pk=attendee_pk
    )
    initial = {
        "name": attendee.name,
        "email": attendee.email,
        "institution": attendee.institution,
        "gender": attendee.gender,
    }
    form = AttendeeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            raised = attendee_services.attendee_update(
                attendee=attendee, updated_by=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(
                request, _("%(name)s is updated.") % {"name": attendee.name}
            )
            if raised:
                session.refresh_from_db()
                messages.info(request, _counts_message(session))
            return redirect("trainer_session", pk=session.pk)
    status = 400 if request.method == "POST" else 200
    return _render_form(request, session, form, attendee=attendee, status=status)


@login_required
def attendee_remove(request, pk: int, attendee_pk: int):
    """GET asks to confirm; POST removes."""
    session = selectors.session_get_for_trainer(user=request.user, pk=pk)
    attendee = selectors.attendee_get_for_trainer(
        user=request.user, session=session, pk=attendee_pk
    )
    errors: list[str] = []
    if request.method == "POST":
        try:
            attendee_services.attendee_remove(
                attendee=attendee, removed_by=request.user
            )
        except ValidationError as exc:
            errors = exc.messages
        else:
            messages.success(
                request,
                _("%(name)s is removed from the list.") % {"name": attendee.name},
            )
            return redirect("trainer_session", pk=session.pk)
    return render(
        request,
        "cascades/attendee_remove.html",
        {
            "session": session,
            "cohort": session.cohort,
            "attendee": attendee,
            "errors": errors,
        },
        status=400 if errors else 200,
    )


@require_POST
@login_required
def attendees_confirm(request, pk: int):
    session = selectors.session_get_for_trainer(user=request.user, pk=pk)
    try:
        result = attendee_services.attendees_confirm(
            session=session, confirmed_by=request.user
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("trainer_session", pk=session.pk)
    messages.success(request, _("The attendee list is confirmed."))
    if result.requested:
        n = len(result.requested)
        messages.success(
            request,
            ngettext(
                "An attendance certificate is on its way to %(n)d attendee.",
                "Attendance certificates are on their way to %(n)d attendees.",
                n,
            )
            % {"n": n},
        )
    if result.already:
        n = len(result.already)
        messages.info(
            request,
            ngettext(
                "%(n)d attendee already had their certificate: none is sent again.",
                "%(n)d attendees already had their certificate: none is sent again.",
                n,
            )
            % {"n": n},
        )
    if result.no_email:
        n = len(result.no_email)
        messages.info(
            request,
            ngettext(
                "%(n)d attendee has no email and gets no certificate.",
                "%(n)d attendees have no email and get no certificate.",
                n,
            )
            % {"n": n},
        )
    if result.counts_raised:
        messages.info(request, _counts_message(session))
    return redirect("trainer_session", pk=session.pk)
