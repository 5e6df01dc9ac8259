"""Check-in (docs/checkin.md): the attendee's pages, open to anyone with the
code and rate-limited; the trainer's controls, live list and sign-in sheet,
behind session_get_for_trainer (404 for anyone else)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from relais import ratelimit

from . import selectors, services
from .forms import AttendeesAddForm, CheckInForm
from .qr import qr_svg
from .sign_in_sheet import render_sign_in_sheet

# Page views and code lookups per address: enough for a room behind one
# address (a ministry's Wi-Fi), far too few to guess codes (31^6 of them).
LOOKUPS_PER_ADDRESS = 120
# Check-ins sent per address and per session in one window: a room of 60
# on one network checks in well inside it; a script filling the list does not.
SUBMITS_PER_ADDRESS = 60
SUBMITS_PER_SESSION = 300
PERIOD = 600
LOOKUP_PERIOD = 60


def _refused(request, period: int):
    response = render(request, "cascades/checkin_rate_limited.html", status=429)
    response["Retry-After"] = str(period)
    return response


def _lookup_limited(request) -> bool:
    return ratelimit.hit(
        scope="checkin-lookup",
        idents=[f"ip:{ratelimit.client_ip(request)}"],
        limit=LOOKUPS_PER_ADDRESS,
        period=LOOKUP_PERIOD,
    )


def _submit_limited(request, session) -> bool:
    by_address = ratelimit.hit(
        scope="checkin-submit",
        idents=[f"ip:{ratelimit.client_ip(request)}"],
        limit=SUBMITS_PER_ADDRESS,
        period=PERIOD,
    )
    by_session = ratelimit.hit(
        scope="checkin-session",
        idents=[f"session:{session.pk}"],
        limit=SUBMITS_PER_SESSION,
        period=PERIOD,
    )
    return by_address or by_session


def _in_visitor_language(request, name: str, **kwargs) -> str:
    language = translation.get_language_from_request(request, check_path=False)
    with translation.override(language):
        return reverse(name, kwargs=kwargs or None)


@require_GET
def checkin_start(request, code: str):
    """The QR code's language-neutral address: on to the visitor's language,
    chosen as LocaleMiddleware would (cookie, then Accept-Language)."""
    return redirect(_in_visitor_language(request, "session_checkin", code=code))


@require_GET
def checkin_enter_start(request):
    return redirect(_in_visitor_language(request, "checkin_enter"))


@require_GET
def checkin_enter(request):
    """Where a typed code goes (the address the trainer's page shows)."""
    raw = request.GET.get("code", "")
    code = services.normalise_checkin_code(raw)
    if code:
        return redirect("session_checkin", code=code)
    error = _("Type the code the trainer shows.") if "code" in request.GET else ""
    status = 400 if error else 200
    return render(
        request, "cascades/checkin_enter.html", {"error": error}, status=status
    )


@never_cache
def session_checkin(request, code: str):
    if _lookup_limited(request):
        return _refused(request, LOOKUP_PERIOD)
    session = selectors.checkin_session_by_code(code=code)
    if session is None:
        return render(
            request, "cascades/checkin_unknown.html", {"code": code}, status=404
        )
    if session.checkin_code != code:
        return redirect("session_checkin", code=session.checkin_code)
    context = {"session": session, "cohort": session.cohort}
    if not services.checkin_is_open(session=session):
        status = 409 if request.method == "POST" else 200
        return render(request, "cascades/checkin_closed.html", context, status=status)
    form = CheckInForm(request.POST or None)
    if request.method == "POST":
        if _submit_limited(request, session):
            return _refused(request, PERIOD)
        if form.is_valid():
            try:
                services.attendee_check_in(session=session, **form.cleaned_data)
            except ValidationError as exc:
                if exc.code == "closed":
                    return render(
                        request, "cascades/checkin_closed.html", context, status=409
                    )
                for name, errors in exc.message_dict.items():
                    form.add_error(name if name in form.fields else None, errors)
            else:
                messages.success(
                    request,
                    _("Thank you, %(name)s: you are on the list.")
                    % {"name": form.cleaned_data["name"].strip()},
                )
                return redirect("session_checkin", code=code)
    status = 400 if request.method == "POST" else 200
    return render(
        request, "cascades/checkin.html", {**context, "form": form}, status=status
    )


def checkin_panel(request, session) -> dict:
    """What the session page's check-in panel shows (templates/cascades/
    _checkin.html)."""
    url = services.checkin_url(code=session.checkin_code or "")
    return {
        "open": services.checkin_is_open(session=session),
        "day_passed": timezone.now() >= services.checkin_day_end(session=session),
        "code": session.checkin_code,
        "url": url,
        "enter_url": services.checkin_enter_url(),
        "qr": qr_svg(url, title=_("QR code of the check-in page"))
        if session.checkin_code
        else "",
        "attendees": selectors.checkin_attendees(session=session),
        "add_form": AttendeesAddForm(),
    }


@require_POST
@login_required
def session_checkin_open(request, pk: int):
    session = selectors.session_get_for_trainer(user=request.user, pk=pk)
    try:
        services.checkin_open(session=session)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Check-in is open."))
    return redirect(reverse("trainer_session", args=[session.pk]) + "#checkin")


@require_POST
@login_required
def session_checkin_close(request, pk: int):
    session = selectors.session_get_for_trainer(user=request.user, pk=pk)
    services.checkin_close(session=session)
    messages.success(request, _("Check-in is closed."))
    return redirect(reverse("trainer_session", args=[session.pk]) + "#checkin")


@never_cache
@require_GET
@login_required
def session_checkin_live(request, pk: int):
    """The live list, as an HTML fragment static/js/checkin.js swaps in."""
    session = selectors.session_get_for_trainer(user=request.user, pk=pk)
    return render(
        request,
        "cascades/_checkin_list.html",
        {
            "session": session,
            "checkin": {
                "open": services.checkin_is_open(session=session),
                "attendees": selectors.checkin_attendees(session=session),
            },
        },
    )


@require_GET
@login_required
def session_sign_in_sheet(request, pk: int):
    """The printable sheet; printing it gives the session its check-in code
    (the page says so), which works once check-in is opened."""
    session = selectors.session_get_for_trainer(user=request.user, pk=pk)
    code = services.checkin_code_ensure(session=session)
    trainer = session.cohort.trainer
    content = render_sign_in_sheet(
        session=session,
        url=services.checkin_url(code=code),
        trainer_name=(trainer.get_full_name() or trainer.email) if trainer else "",
        language=request.LANGUAGE_CODE,
    )
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'inline; filename="sign-in-sheet-{session.pk}.pdf"'
    )
    return response


@require_POST
@login_required
def session_attendees_add(request, pk: int):
    session = selectors.session_get_for_trainer(user=request.user, pk=pk)
    form = AttendeesAddForm(request.POST)
    if form.is_valid():
        try:
            result = services.session_attendees_add(
                session=session,
                text=form.cleaned_data["attendees_text"],
                added_by=request.user,
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request,
                _("Attendees added: %(added)d; already listed, updated: %(updated)d.")
                % {"added": result.added, "updated": result.updated},
            )
            if result.not_invited:
                from .views import _over_limit_message

                messages.warning(request, _over_limit_message(result.not_invited))
    else:
        messages.error(request, _("Type at least one attendee line."))
    return redirect(reverse("trainer_session", args=[session.pk]) + "#checkin")
